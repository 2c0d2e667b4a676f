/**
 * A tiny static file server for tests: serves a built `dist/` under a sub-path (e.g. `/journal/`)
 * on 127.0.0.1, like GitHub Pages does — `dir/` → `dir/index.html`, unknown paths → `404.html`
 * with status 404, nothing outside the prefix.
 *   node test/site/static-server.ts <dist> [/journal/] [port]
 */
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(dir: string, prefix = '/journal/', port = 0): Promise<StaticServer> {
  const rootDir = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    const send404 = async () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', TYPES['.html']!);
      try {
        res.end(await fs.readFile(path.join(rootDir, '404.html')));
      } catch {
        res.end('not found');
      }
    };
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send404();
    }
    if (!pathname.startsWith(prefix)) {
      if (pathname + '/' === prefix) {
        res.writeHead(301, { Location: prefix });
        return res.end();
      }
      return send404();
    }
    let file = path.join(rootDir, pathname.slice(prefix.length));
    if (!file.startsWith(rootDir)) return send404();
    let stat = await fs.stat(file).catch(() => null);
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' });
        return res.end();
      }
      file = path.join(file, 'index.html');
      stat = await fs.stat(file).catch(() => null);
    }
    if (!stat?.isFile()) return send404();
    res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Content-Length', stat.size);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}${prefix}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.main) {
  const [dir, prefix = '/journal/', port = '4321'] = process.argv.slice(2);
  const s = await serveStatic(dir!, prefix, Number(port));
  console.log(`serving ${dir} at ${s.url}`);
}
