/**
 * A small client for ComfyUI's server API (server.py): `GET /ws?clientId=`
 * (reconnecting with the same clientId after a drop), `GET /object_info`,
 * `POST /prompt`, `GET /history/{prompt_id}`, `GET /view`, `POST /interrupt`.
 */
import { RunFailure } from '../types.ts';
import type { ApiWorkflow, ObjectInfo } from './comfyui-graph.ts';

/** A file reference as ComfyUI lists it in `executed` messages and history outputs (images, `gifs`, audio). */
export interface HistoryImage {
  filename: string;
  subfolder?: string;
  type?: string;
  /** VHS_VideoCombine: the container it wrote (`video/h264-mp4`, `image/gif`). */
  format?: string;
}

/** One output node's UI output: `images`, `gifs`, `audio`, `animated`, `text`, … */
export type NodeOutput = Record<string, unknown>;

/** One node's validation problems, as `/prompt` returns them in `node_errors`. */
export interface NodeError {
  errors?: { type?: string; message?: string; details?: string }[];
  class_type?: string;
  dependent_outputs?: string[];
}

export interface HistoryEntry {
  outputs: Record<string, NodeOutput>;
  status?: { status_str?: string; completed?: boolean; messages?: unknown[] };
}

type Listener = (type: string, data: any) => void;

export class ComfyClient {
  readonly server: string;
  readonly clientId: string;
  #redact: (s: string) => string;
  #socket: import('ws').WebSocket | null = null;
  #messages: { type: string; data: any }[] = [];
  #signal: AbortSignal | null = null;
  #closing = false;
  #listeners = new Set<Listener>();

  constructor(server: string, clientId: string, redact: (s: string) => string) {
    this.server = server;
    this.clientId = clientId;
    this.#redact = redact;
  }

  /** Opens the WebSocket before queueing, so no message of our prompt is missed. */
  async connect(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    await this.#open(signal);
  }

  async #open(signal: AbortSignal): Promise<void> {
    const { WebSocket } = await import('ws');
    const url = `${this.server.replace(/^http/i, 'ws')}/ws?clientId=${encodeURIComponent(this.clientId)}`;
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: 15_000 });
      this.#socket = socket;
      const onAbort = () => {
        socket.terminate();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      let opened = false;
      socket.once('open', () => {
        opened = true;
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        reject(new RunFailure(`cannot reach ComfyUI at ${this.#redact(this.server)}: ${networkReason(e)}`));
      });
      socket.on('message', (raw, isBinary) => {
        if (isBinary) return; // preview frames (4-byte event type + image); not needed for the record
        let msg: { type?: string; data?: unknown };
        try {
          msg = JSON.parse(raw.toString());
        } catch {
          return;
        }
        if (typeof msg.type !== 'string') return;
        this.#emit(msg.type, msg.data ?? {});
      });
      socket.on('close', () => {
        if (opened && this.#socket === socket && !this.#closing) void this.#reconnect();
      });
    });
  }

  /** server.py keeps a prompt running when its socket drops; the same clientId picks its messages up again. */
  async #reconnect(): Promise<void> {
    for (let attempt = 1; attempt <= 3 && !this.#closing; attempt++) {
      await new Promise((r) => setTimeout(r, 150 * attempt));
      if (this.#closing || this.#signal?.aborted) return;
      try {
        await this.#open(this.#signal ?? new AbortController().signal);
        this.#emit('__reconnected__', { attempt });
        return;
      } catch {
        // try again, then give up
      }
    }
    if (!this.#closing) this.#emit('__closed__', {});
  }

  /** Calls `listener` for every message so far and every later one; returns an unsubscribe function. */
  onMessage(listener: Listener): () => void {
    for (const m of [...this.#messages]) listener(m.type, m.data);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(type: string, data: any): void {
    this.#messages.push({ type, data });
    for (const l of [...this.#listeners]) l(type, data);
  }

  /** `POST /prompt`; a 400 with `node_errors` becomes a failure naming each node and its class. */
  async queuePrompt(workflow: ApiWorkflow, signal: AbortSignal): Promise<{ prompt_id: string; number?: number; node_errors?: Record<string, NodeError> }> {
    const res = await this.#request('POST', '/prompt', signal, JSON.stringify({ prompt: workflow, client_id: this.clientId }));
    const body = parseJson(res.body);
    if (res.status !== 200) {
      const b = (body ?? {}) as { error?: { message?: string; details?: string } | string; node_errors?: Record<string, NodeError> };
      const err = typeof b.error === 'string' ? b.error : (b.error?.message ?? `HTTP ${res.status}`);
      const details = typeof b.error === 'object' && b.error?.details && !b.node_errors ? `: ${b.error.details}` : '';
      const nodes = b.node_errors && Object.keys(b.node_errors).length ? ` — ${describeNodeErrors(b.node_errors, workflow)}` : '';
      throw new RunFailure(`ComfyUI rejected the workflow: ${err}${details}${nodes}`, {
        outputs: b.node_errors && Object.keys(b.node_errors).length ? { node_errors: b.node_errors } : undefined,
      });
    }
    const ok = body as { prompt_id?: string; number?: number; node_errors?: Record<string, NodeError> } | null;
    if (!ok?.prompt_id) throw new RunFailure('ComfyUI accepted the workflow but returned no prompt_id');
    return { prompt_id: ok.prompt_id, number: ok.number, node_errors: ok.node_errors };
  }

  /** `GET /history/{prompt_id}` → this prompt's entry, or null when the server does not know it. */
  async history(promptId: string, signal: AbortSignal): Promise<HistoryEntry | null> {
    const res = await this.#request('GET', `/history/${encodeURIComponent(promptId)}`, signal);
    if (res.status !== 200) throw new RunFailure(`ComfyUI /history/${promptId} answered HTTP ${res.status}`);
    const body = parseJson(res.body) as Record<string, HistoryEntry> | null;
    return body?.[promptId] ?? null;
  }

  /**
   * The history entry once it is written: main.py writes it after `execution_success`
   * went out, so the first request may come too early. Null when it never appears.
   */
  async waitForHistory(promptId: string, signal: AbortSignal, timeoutMs = 10_000): Promise<HistoryEntry | null> {
    const until = performance.now() + timeoutMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
      const entry = await this.history(promptId, signal);
      if (entry || performance.now() > until) return entry;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** `GET /object_info`: the server's node classes, or null when it does not offer them. */
  async objectInfo(signal: AbortSignal, timeoutMs = 30_000): Promise<ObjectInfo | null> {
    // Servers with many custom nodes answer slowly; placement then goes unchecked rather than waiting.
    const res = await this.#request('GET', '/object_info', AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])).catch(() => null);
    if (!res || res.status !== 200) return null;
    const body = parseJson(res.body);
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as ObjectInfo) : null;
  }

  /** `GET /view?filename=&subfolder=&type=` → the file's bytes and content type ('' when the server sent none). */
  async view(image: HistoryImage, signal: AbortSignal): Promise<{ bytes: Buffer; type: string }> {
    const q = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder ?? '', type: image.type ?? 'output' });
    const res = await this.#request('GET', `/view?${q}`, signal);
    if (res.status !== 200) throw new RunFailure(`ComfyUI /view of ${image.filename} answered HTTP ${res.status}`);
    return { bytes: res.body, type: (res.type ?? '').split(';')[0]!.trim() };
  }

  /**
   * Stops our prompt (best effort, on Ctrl-C or timeout): drops it from the queue, and sends
   * `POST /interrupt` only when `/queue` shows it running — servers from before 2025 ignore
   * `prompt_id` and would interrupt whatever runs, another client's prompt too.
   */
  async interrupt(promptId: string): Promise<void> {
    const signal = () => AbortSignal.timeout(3000);
    await this.#request('POST', '/queue', signal(), JSON.stringify({ delete: [promptId] }));
    const res = await this.#request('GET', '/queue', signal()).catch(() => null);
    const queue = res?.status === 200 ? (parseJson(res.body) as { queue_running?: unknown[][] } | null) : null;
    const running = queue?.queue_running?.some((row) => Array.isArray(row) && row[1] === promptId);
    if (running !== false) await this.#request('POST', '/interrupt', signal(), JSON.stringify({ prompt_id: promptId }));
  }

  close(): void {
    this.#closing = true;
    this.#listeners.clear();
    this.#socket?.terminate();
  }

  async #request(method: string, path: string, signal: AbortSignal, body?: string): Promise<{ status: number; body: Buffer; type?: string }> {
    const { request } = await import('undici');
    try {
      const res = await request(`${this.server}${path}`, {
        method: method as 'GET',
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
        signal,
      });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      const type = res.headers['content-type'];
      return { status: res.statusCode, body: bytes, type: Array.isArray(type) ? type[0] : type };
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw new RunFailure(`cannot reach ComfyUI at ${this.#redact(this.server)} (${method} ${path.split('?')[0]}): ${networkReason(e)}`);
    }
  }
}

/** `node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name …; node 6 (…): …` */
export function describeNodeErrors(nodeErrors: Record<string, NodeError>, workflow: ApiWorkflow): string {
  return Object.keys(nodeErrors)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((id) => {
      const e = nodeErrors[id]!;
      const cls = e.class_type ?? workflow[id]?.class_type ?? '?';
      const what = (e.errors ?? []).map((x) => [x.message, x.details].filter(Boolean).join(': ')).join('; ') || 'invalid';
      return `node ${id} (${cls}): ${what}`;
    })
    .join('; ');
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}

function networkReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is ComfyUI running? set inputs.server or LAB_COMFYUI_URL)';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the server closed the connection';
  return err.message || String(e);
}
