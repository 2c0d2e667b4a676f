/**
 * Run events over WebSocket:
 *   WS /ws/runs/{run_id}?since=SEQ        follow a run: every event after SEQ, then live ones
 *   WS /ws/entries/{id}/execute           start the entry (`?force=1`, `?stale=1`) and follow its run
 * Each message is one event `{seq, type, …}`; the socket closes (1000) after the run's final event.
 * A client that drops reconnects with the last `seq` it saw and misses nothing, repeats nothing.
 * Refusals come as `{type: "error", status, error}` then close 4000 + status (4404, 4409).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { startRun } from './api-execute.ts';
import { HttpError, toHttpError } from './http-error.ts';
import type { JournalState } from './journal-state.ts';
import type { Run } from './run.ts';
import type { RunRegistry } from './run-registry.ts';

/** A client that reads slower than the run writes is dropped past this many buffered bytes; it reconnects with `since`. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export class RunSockets {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  readonly #state: JournalState;
  readonly #runs: RunRegistry;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(state: JournalState, runs: RunRegistry) {
    this.#state = state;
    this.#runs = runs;
    // Pings keep idle connections (a long quiet step) open through proxies and find dead peers.
    this.#heartbeat = setInterval(() => {
      for (const ws of this.#wss.clients) {
        if ((ws as WebSocket & { alive?: boolean }).alive === false) ws.terminate();
        else {
          (ws as WebSocket & { alive?: boolean }).alive = false;
          ws.ping();
        }
      }
    }, 30_000);
    this.#heartbeat.unref();
  }

  /** True when the path is one of ours (security checks have passed). */
  static handles(pathname: string): boolean {
    return /^\/ws\/(runs\/[^/]+|entries\/[^/]+\/execute)$/.test(pathname);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const runMatch = /^\/ws\/runs\/([^/]+)$/.exec(url.pathname);
    const execMatch = /^\/ws\/entries\/([^/]+)\/execute$/.exec(url.pathname);
    const sinceRaw = url.searchParams.get('since') ?? '0';
    const since = Number(sinceRaw);
    if (!Number.isInteger(since) || since < 0) {
      rejectUpgrade(socket, new HttpError(400, '`since`: must be a whole number of at least 0', { field: 'since' }));
      return;
    }
    if (runMatch) {
      void this.#runs.get(decodeURIComponent(runMatch[1]!)).then(
        (run) => {
          if (!run) {
            rejectUpgrade(socket, new HttpError(404, `no run '${decodeURIComponent(runMatch[1]!)}'`));
            return;
          }
          this.#wss.handleUpgrade(req, socket, head, (ws) => this.#follow(ws, run, since));
        },
        (e) => rejectUpgrade(socket, toHttpError(e)),
      );
      return;
    }
    if (execMatch) {
      const flag = (name: string) => ['1', 'true'].includes(url.searchParams.get(name) ?? '');
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        startRun({ state: this.#state, runs: this.#runs }, decodeURIComponent(execMatch[1]!), { force: flag('force'), stale: flag('stale') }).then(
          (run) => this.#follow(ws, run, 0),
          (e) => {
            const error = toHttpError(e);
            ws.send(JSON.stringify({ type: 'error', status: error.status, ...error.body }));
            ws.close(4000 + error.status, error.message.slice(0, 100));
          },
        );
      });
      return;
    }
    rejectUpgrade(socket, new HttpError(404, `no WebSocket endpoint ${url.pathname}`));
  }

  #follow(ws: WebSocket, run: Run, since: number): void {
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    const stop = run.follow(
      since,
      (event) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED) {
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(event));
      },
      () => {
        if (ws.readyState === ws.OPEN) ws.close(1000, 'run ended');
      },
    );
    ws.on('close', stop);
    ws.on('error', stop);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}

/** Answers an upgrade request with a plain HTTP error (before any WebSocket exists). */
export function rejectUpgrade(socket: Duplex, error: HttpError): void {
  const body = JSON.stringify(error.body);
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[error.status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
