/**
 * `lab serve`: the live site, the REST API, run events over WebSocket and the served-only UI, on one
 * loopback port. Order of a request: Host check (DNS rebinding) → Origin check → token (API and
 * WebSocket) → route. The server holds no state of its own beyond runs in progress: the journal's
 * files are the truth, and every write goes to them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { LabError } from '../core/diagnostics.ts';
import { executeRoutes } from './api-execute.ts';
import { fileRoutes } from './api-files.ts';
import { readRoutes } from './api-read.ts';
import { writeRoutes } from './api-write.ts';
import { type Limits, matchRoute, type Route } from './context.ts';
import { HttpError, toHttpError } from './http-error.ts';
import { JournalState } from './journal-state.ts';
import type { LiveSite } from './live-site.ts';
import { openApiDocument } from './openapi.ts';
import { sendError, sendJson } from './respond.ts';
import { RunRegistry } from './run-registry.ts';
import { Guard, isLoopback, tokenCookieName } from './security.ts';
import { serveUi } from './ui.ts';
import { RunSockets, rejectUpgrade } from './websocket.ts';

export interface ServeOptions {
  /** Workspace root. */
  root: string;
  /** Address to listen on (default 127.0.0.1); anything but loopback needs `allowRemote`. */
  host?: string;
  /** Port (default 8765; 0 picks a free one). */
  port?: number;
  allowRemote?: boolean;
  /** The token (default: a fresh random one). */
  token?: string;
  limits?: Partial<Limits>;
  /**
   * Starts the live site once the port is known, or false for the API and the /_lab/ app alone. The
   * default is the journal's Astro dev server (live-site.ts).
   */
  site?: false | ((root: string) => Promise<LiveSite>);
}

export interface LabServer {
  /** `http://127.0.0.1:<port>/` */
  origin: string;
  /** The URL to open: it carries the token once, as `?token=…`, and sets the cookie. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_LIMITS: Limits = { json: 2 * 1024 * 1024, upload: 200 * 1024 * 1024 };

export async function startServer(options: ServeOptions): Promise<LabServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowRemote) {
    throw new HttpError(400, `refusing to listen on ${host}: that exposes the journal to the network; add --allow-remote if you mean it`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const state = new JournalState(options.root);
  const runs = new RunRegistry(options.root, () => state.invalidate());
  const sockets = new RunSockets(state, runs);
  const openapi = JSON.stringify(openApiDocument());
  const routes: Route[] = [...readRoutes, ...writeRoutes, ...fileRoutes, ...executeRoutes];
  let guard!: Guard;
  let site: LiveSite | null = null;

  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      guard.checkHost(req);
      guard.checkOrigin(req);
      if (url.pathname === '/api/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, openapi);
      if (url.pathname.startsWith('/api/')) {
        guard.requireToken(req, url);
        const pathname = url.pathname.replace(/\.json$/, ''); // the static API's file names work too
        const match = matchRoute(routes, req.method ?? 'GET', pathname);
        if (match === 'method') throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
        if (!match) throw new HttpError(404, `no endpoint ${req.method} ${url.pathname}`);
        await match.route.handler({ req, res, url, params: match.params, state, runs, limits });
        return;
      }
      if (url.searchParams.has('token') && req.method === 'GET') {
        // The printed URL: trade the token for a cookie and drop it from the address bar.
        if (!guard.hasToken(req, url)) throw new HttpError(401, 'the token in this URL is not the one `lab serve` printed at its last start');
        url.searchParams.delete('token');
        res.writeHead(303, {
          Location: url.pathname + url.search,
          'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
      if (await serveUi(req, res, url, { site: site !== null })) return;
      if (site) return site.handle(req, res);
      throw new HttpError(404, `not found: ${url.pathname}`);
    } catch (e) {
      const error = toHttpError(e);
      if (error.status === 413) res.setHeader('Connection', 'close');
      sendError(res, error);
      if (error.status === 413) req.resume();
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      guard.checkHost(req);
      guard.checkOrigin(req);
      if (RunSockets.handles(url.pathname)) {
        guard.requireToken(req, url);
        sockets.upgrade(req, socket, head, url);
      } else if (site?.upgrade) site.upgrade(req, socket, head);
      else throw new HttpError(404, `no WebSocket endpoint ${url.pathname}`);
    } catch (e) {
      rejectUpgrade(socket, toHttpError(e));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      sockets.close();
      if (e.code === 'EADDRINUSE')
        reject(new LabError(`port ${options.port ?? 8765} on ${host} is in use (another lab serve?); pick another with --port, or --port 0 for any free one`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new LabError(`${host} is not an address of this machine`));
      else reject(e);
    });
    server.listen(options.port ?? 8765, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard = new Guard({ host, port, token, allowRemote: Boolean(options.allowRemote) });
  state.watch();
  if (options.site !== false) {
    const start = options.site ?? (await import('./live-site.ts')).startLiveSite;
    try {
      site = await start(options.root);
    } catch (e) {
      server.close();
      state.close();
      throw e;
    }
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}/`;
  return {
    origin,
    url: `${origin}?token=${token}`,
    token,
    port,
    async close() {
      await runs.close();
      sockets.close();
      state.close();
      await site?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
