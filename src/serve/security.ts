/**
 * Local security for `lab serve`, against what hit other local servers:
 * - DNS rebinding (webpack-dev-server #887): a page on `evil.example` whose name resolves to
 *   127.0.0.1 reaches the server with `Host: evil.example` — refused unless the Host is this server.
 * - Cross-site requests: a foreign `Origin` (look-alikes such as `127.attacker.example` or
 *   `localhost.evil.com` included: origins are compared exactly, never by prefix) is refused, and no
 *   CORS header is ever sent, so other sites cannot read responses either.
 * - Everything under /api/ (except the OpenAPI document) and /ws/ needs the per-start token: a
 *   `Bearer` header, a `token` query parameter (WebSockets) or the cookie set by visiting `/?token=…`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import os from 'node:os';
import { HttpError } from './http-error.ts';

export interface SecurityOptions {
  /** The address the server listens on (`127.0.0.1` by default). */
  host: string;
  port: number;
  token: string;
  /** Listening on a non-loopback address was asked for explicitly (`--allow-remote`). */
  allowRemote: boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The cookie that carries the token; per port, since cookies ignore ports and several servers may run. */
export function tokenCookieName(port: number): string {
  return `lab_token_${port}`;
}

export class Guard {
  readonly #o: SecurityOptions;
  readonly #names: Set<string>;

  constructor(options: SecurityOptions) {
    this.#o = options;
    const names = new Set(LOOPBACK_NAMES);
    const bound = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
    if (!['0.0.0.0', '[::]'].includes(bound)) names.add(bound.toLowerCase());
    if (options.allowRemote) {
      // Reached from another machine by an address of this one, or by its name.
      names.add(os.hostname().toLowerCase());
      for (const list of Object.values(os.networkInterfaces())) {
        for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : a.address);
      }
    }
    this.#names = names;
  }

  /** `host:port` pairs this server answers to. */
  get hosts(): string[] {
    return [...this.#names].map((n) => `${n}:${this.#o.port}`);
  }

  /** Throws 403 unless the Host header names this server (DNS rebinding). */
  checkHost(req: IncomingMessage): void {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.#hostAllowed(host)) throw new HttpError(403, `refused: Host '${req.headers.host ?? ''}' is not this server (expected ${this.hosts[0]})`);
  }

  #hostAllowed(hostPort: string): boolean {
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(hostPort);
    if (!m) return false;
    const port = m[2] === undefined ? 80 : Number(m[2]);
    if (port !== this.#o.port) return false;
    const name = m[1]!;
    if (this.#names.has(name)) return true;
    // With --allow-remote any IP literal is fine (rebinding needs a DNS name); names must be known.
    return this.#o.allowRemote && (isIP(name) !== 0 || isIP(name.slice(1, -1)) !== 0);
  }

  /**
   * Throws 403 when the request comes from another site: an `Origin` that is not exactly this server
   * (`null` included), or a browser saying `Sec-Fetch-Site: cross-site`. Requests without Origin are
   * not from a page (curl, scripts) and are left to the token check.
   */
  checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site') throw new HttpError(403, 'refused: cross-site request');
    if (origin === undefined) return;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new HttpError(403, `refused: Origin '${origin}' is not this server`);
    }
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const ok =
      url.protocol === 'http:' &&
      `${url.protocol}//${url.host}` === origin.toLowerCase().replace(/\/$/, '') &&
      port === this.#o.port &&
      this.#hostAllowed(url.host);
    if (!ok) throw new HttpError(403, `refused: Origin '${origin}' is not this server`);
  }

  /** True when the request carries the token (header, query parameter or cookie). */
  hasToken(req: IncomingMessage, url: URL): boolean {
    const auth = req.headers.authorization;
    const candidates = [
      auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined,
      req.headers['x-lab-token'] as string | undefined,
      url.searchParams.get('token') ?? undefined,
      cookie(req, tokenCookieName(this.#o.port)),
    ];
    return candidates.some((c) => c !== undefined && same(c, this.#o.token));
  }

  /** Throws 401 without the token. */
  requireToken(req: IncomingMessage, url: URL): void {
    if (!this.hasToken(req, url))
      throw new HttpError(401, 'the token is missing or wrong: open the URL `lab serve` printed, or send `Authorization: Bearer <token>`');
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
