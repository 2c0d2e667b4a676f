/**
 * The live site behind `lab serve`: the journal's Astro dev server (`lab dev`: rebuilt on file changes),
 * started in process on a private loopback port and reached through a proxy that adds the served-only
 * UI to every HTML page. Kept behind this one function so the way the site starts can change without
 * touching the server.
 */
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { injectUi } from './ui.ts';

export interface LiveSite {
  /** Answers a request for a site page or asset. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Passes a WebSocket upgrade through (Vite's live reload). */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  stop(): Promise<void>;
}

/** Starts the journal's Astro dev server (what `lab dev` runs) on a private port and returns a proxy to it. */
export async function startLiveSite(root: string): Promise<LiveSite> {
  const { devSite } = await import('../site/serve-site.ts');
  const site = await devSite({ root, host: '127.0.0.1', port: 20000 + Math.floor(Math.random() * 20000) });
  return proxyTo(Number(new URL(site.url).port), () => site.stop());
}

/** A proxy to a site on a loopback port; HTML responses get the UI's script and stylesheet. */
export function proxyTo(port: number, stop: () => Promise<void>): LiveSite {
  return {
    handle(req, res) {
      const headers = { ...req.headers, host: `127.0.0.1:${port}` };
      delete headers['accept-encoding']; // HTML is rewritten: ask for it uncompressed
      delete headers.cookie; // the token stays with lab serve
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (up) => {
        const type = String(up.headers['content-type'] ?? '');
        const outHeaders = { ...up.headers };
        if (!type.startsWith('text/html')) {
          res.writeHead(up.statusCode ?? 502, outHeaders);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const html = injectUi(Buffer.concat(chunks).toString('utf8'));
          delete outHeaders['content-length'];
          delete outHeaders['transfer-encoding'];
          res.writeHead(up.statusCode ?? 200, { ...outHeaders, 'content-length': Buffer.byteLength(html) });
          res.end(html);
        });
      });
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`the live site is not answering: ${e.message}`);
      });
      req.pipe(upstream);
    },
    upgrade(req, socket, head) {
      const upstream = connect(port, '127.0.0.1', () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i]!;
          lines.push(`${name}: ${name.toLowerCase() === 'host' ? `127.0.0.1:${port}` : req.rawHeaders[i + 1]}`);
        }
        upstream.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length) upstream.write(head);
        socket.pipe(upstream).pipe(socket);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    },
    stop,
  };
}
