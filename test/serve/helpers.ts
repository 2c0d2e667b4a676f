/** A `lab serve` on a copy of the fixture journal, and a client that speaks to it like a browser or a script would. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { type LabServer, type ServeOptions, startServer } from '../../src/serve/server.ts';

export const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'journal');
export const BASELINE = 'content/notebooks/training/2026-03-02-learning-rate/entries/001-baseline.md';
export const PAGE_ID = 'page-training-2026-03-02-learning-rate';

export interface Served {
  root: string;
  server: LabServer;
  /** `fetch` against the server with the token (unless `token: false`). */
  call(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; token?: boolean; raw?: Buffer | string }): Promise<Response>;
  stop(): Promise<void>;
}

/** Copies the fixture journal to a temp folder and serves it (no Astro site: the API and the app). */
export async function serveFixture(options: Partial<ServeOptions> = {}, fixture = FIXTURE): Promise<Served> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lab-serve-'));
  cpSync(fixture, root, { recursive: true });
  const server = await startServer({ root, port: 0, site: false, ...options });
  const call: Served['call'] = async (method, p, o = {}) => {
    const headers: Record<string, string> = { ...(o.token === false ? {} : { Authorization: `Bearer ${server.token}` }), ...o.headers };
    let body: BodyInit | undefined;
    if (o.raw !== undefined) body = typeof o.raw === 'string' ? o.raw : new Uint8Array(o.raw);
    else if (o.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(o.body);
    }
    return fetch(new URL(p, server.origin), { method, headers, body });
  };
  return {
    root,
    server,
    call,
    async stop() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a run's WebSocket from `since` and hands each event to `onEvent`; resolves once open. The
 * listener is attached before the handshake ends: replayed events can arrive in the same packet.
 */
export function openRunSocket(
  server: LabServer,
  runId: string,
  since: number,
  onEvent: (event: any) => void,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/runs/${runId}?since=${since}&token=${server.token}`, { headers });
    ws.on('message', (data) => onEvent(JSON.parse(String(data))));
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Opens `/ws/entries/{id}/execute` and hands each event to `onEvent`; resolves with the close code. */
export function executeSocket(server: LabServer, entryId: string, onEvent: (event: any, ws: WebSocket) => void): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/entries/${entryId}/execute?token=${server.token}`);
  ws.on('message', (data) => onEvent(JSON.parse(String(data)), ws));
  return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
}

/** Polls until `check` is true. */
export async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}
