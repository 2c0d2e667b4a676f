/**
 * The served-only UI: the lab app at `/_lab/` (files in ./ui/) and the bar added to every live-site
 * page. None of it is in the static build: only `lab serve` sends it.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendBytes } from './respond.ts';

const DIR = path.join(import.meta.dirname, 'ui');
const FILES: Record<string, string> = {
  '/_lab/app.js': 'text/javascript; charset=utf-8',
  '/_lab/render.js': 'text/javascript; charset=utf-8',
  '/_lab/api.js': 'text/javascript; charset=utf-8',
  '/_lab/dom.js': 'text/javascript; charset=utf-8',
  '/_lab/views.js': 'text/javascript; charset=utf-8',
  '/_lab/entry-view.js': 'text/javascript; charset=utf-8',
  '/_lab/app.css': 'text/css; charset=utf-8',
  '/_lab/inject.js': 'text/javascript; charset=utf-8',
  '/_lab/inject.css': 'text/css; charset=utf-8',
};

/** Nothing but this origin's own scripts runs in the app; the WebSocket and the API are same-origin. */
const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Serves a UI file; false when the request is not for one. */
export async function serveUi(req: IncomingMessage, res: ServerResponse, url: URL, options: { site: boolean }): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.pathname === '/' && !options.site) {
    res.writeHead(302, { Location: '/_lab/' });
    res.end();
    return true;
  }
  if (url.pathname === '/_lab' || url.pathname === '/_lab/') {
    const html = readFileSync(path.join(DIR, 'index.html'), 'utf8').replace('<html lang="en">', `<html lang="en" data-site="${options.site ? 1 : 0}">`);
    sendBytes(res, 200, html, 'text/html; charset=utf-8', { 'Content-Security-Policy': CSP });
    return true;
  }
  const type = FILES[url.pathname];
  if (!type) return false;
  sendBytes(res, 200, readFileSync(path.join(DIR, url.pathname.slice('/_lab/'.length))), type);
  return true;
}

/** Adds the UI bar to a live-site HTML page. */
export function injectUi(html: string): string {
  const tags = '<link rel="stylesheet" href="/_lab/inject.css"><script type="module" src="/_lab/inject.js"></script>';
  return html.includes('</head>') ? html.replace('</head>', `${tags}</head>`) : tags + html;
}
