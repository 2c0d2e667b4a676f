/**
 * A loopback stand-in for a ComfyUI server (the real one needs PyTorch and GPU
 * models). It speaks ComfyUI's protocol as server.py / execution.py / main.py
 * do: `GET /object_info` (the catalogue of node classes), `POST /prompt`
 * (validation with `error` + `node_errors`), a prompt queue run one at a time,
 * `/ws?clientId=` (a reconnect with the same clientId replaces the old socket
 * and is told the node running now), the execution messages of executor.ts,
 * `/history/{id}` written after `execution_success` (as main.py's prompt worker
 * does, in its own step), `/view`, `/interrupt` (only the named prompt when a
 * `prompt_id` is given; any prompt on servers before 2025) and `/queue`.
 * Every route also answers under `/api`. Test hooks make a run fail in a node,
 * or the server vanish.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { NodeCache, runPrompt, type UiOutput } from './executor.ts';
import { objectInfo, type Prompt, validatePrompt } from './nodes.ts';

export interface FakeComfyOptions {
  /** Raise an exception in the sampler at this step (execution_error mid-run). */
  failAtStep?: number;
  /** Drop every connection and stop listening at this sampler step (the server going away). */
  dieAtStep?: number;
  /** Delay between steps of long nodes (ms). */
  stepDelayMs?: number;
  /** Delay between `execution_success` and the history entry appearing (ms; default 40). */
  historyDelayMs?: number;
  /** A server from before 2025: `/interrupt` stops whatever runs, whatever `prompt_id` says. */
  legacyInterrupt?: boolean;
  /** A server without `/object_info` (404), like some proxies. */
  noObjectInfo?: boolean;
  /** Output nodes report no files (custom nodes that save without telling the UI). */
  silentOutputs?: boolean;
}

export interface HistoryItem {
  prompt: [number, string, Prompt, Record<string, unknown>, string[]];
  outputs: Record<string, UiOutput>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: [string, Record<string, unknown>][] };
  meta: Record<string, { node_id: string; display_node: string; parent_node: null; real_node_id: string }>;
}

interface Job {
  number: number;
  id: string;
  prompt: Prompt;
  extra: Record<string, unknown>;
  outputs: string[];
}

export class FakeComfyUI {
  options: FakeComfyOptions;
  url = '';
  /** Every prompt body received on POST /prompt (for assertions). */
  received: { prompt: Prompt; client_id?: string }[] = [];
  /** Every `/interrupt` body received. */
  interrupts: Record<string, unknown>[] = [];
  /** Number of `/object_info` requests answered. */
  objectInfoRequests = 0;
  readonly files = new Map<string, { bytes: Buffer; type: string }>();
  readonly history = new Map<string, HistoryItem>();
  readonly cache = new NodeCache();
  #server: Server;
  #wss = new WebSocketServer({ noServer: true });
  #sockets = new Map<string, WebSocket>();
  #raw = new Set<Socket>();
  #queue: Job[] = [];
  #running: Job | null = null;
  #runningNode: string | null = null;
  #number = 0;
  #interrupted = false;

  constructor(options: FakeComfyOptions = {}) {
    this.options = options;
    this.#server = createServer((req, res) => void this.#route(req, res).catch((e) => res.writeHead(500).end(String(e))));
    this.#server.on('connection', (s) => {
      this.#raw.add(s);
      s.on('close', () => this.#raw.delete(s));
    });
    this.#server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' && url.pathname !== '/api/ws') return socket.destroy();
      const sid = url.searchParams.get('clientId') || randomUUID().replace(/-/g, '');
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        // Like server.py: a reconnect with the same clientId takes over; the old socket gets nothing more.
        this.#sockets.set(sid, ws);
        ws.on('close', () => this.#sockets.get(sid) === ws && this.#sockets.delete(sid));
        ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.#remaining() } }, sid } }));
        if (this.#running?.extra.client_id === sid && this.#runningNode) {
          ws.send(JSON.stringify({ type: 'executing', data: { node: this.#runningNode, display_node: this.#runningNode, prompt_id: this.#running.id } }));
        }
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
    return this.url;
  }

  /** Closes everything at once, like a crashed server. */
  kill(): void {
    for (const ws of this.#sockets.values()) ws.terminate();
    for (const s of this.#raw) s.destroy();
    this.#server.close();
  }

  async stop(): Promise<void> {
    this.kill();
    this.#wss.close();
  }

  /** Drops one client's socket without stopping the server (a network blip). */
  dropClient(clientId: string): void {
    this.#sockets.get(clientId)?.terminate();
  }

  #remaining(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname.replace(/^\/api(?=\/)/, '');
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const body = async () => {
      let text = '';
      for await (const c of req) text += c;
      return text ? JSON.parse(text) : {};
    };
    if (req.method === 'GET' && route === '/system_stats') {
      return json(200, { system: { os: 'posix', comfyui_version: '0.3.fake', python_version: 'n/a', embedded_python: false }, devices: [] });
    }
    if (req.method === 'GET' && (route === '/object_info' || route.startsWith('/object_info/'))) {
      if (this.options.noObjectInfo) return void res.writeHead(404).end('404: Not Found');
      this.objectInfoRequests++;
      const all = objectInfo();
      const one = route.slice('/object_info/'.length);
      return json(200, one ? (all[decodeURIComponent(one)] ? { [decodeURIComponent(one)]: all[decodeURIComponent(one)] } : {}) : all);
    }
    if (req.method === 'POST' && route === '/prompt') {
      const data = await body();
      if (!('prompt' in data)) {
        return json(400, { error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} });
      }
      this.received.push({ prompt: data.prompt, client_id: data.client_id });
      const id = String(data.prompt_id ?? randomUUID());
      const valid = validatePrompt(data.prompt);
      if (!valid.ok) return json(400, { error: valid.error, node_errors: valid.node_errors });
      const number = this.#number++;
      const extra = { ...(data.extra_data ?? {}), ...(data.client_id ? { client_id: data.client_id } : {}) };
      this.#queue.push({ number, id, prompt: data.prompt, extra, outputs: valid.outputs });
      this.#broadcastStatus();
      queueMicrotask(() => void this.#work());
      return json(200, { prompt_id: id, number, node_errors: valid.node_errors });
    }
    const hist = /^\/history\/(.+)$/.exec(route);
    if (req.method === 'GET' && hist) {
      const id = decodeURIComponent(hist[1]!);
      const item = this.history.get(id);
      return json(200, item ? { [id]: item } : {});
    }
    if (req.method === 'GET' && route === '/history') return json(200, Object.fromEntries(this.history));
    if (req.method === 'GET' && route === '/view') {
      const filename = url.searchParams.get('filename') ?? '';
      if (!filename || filename.includes('..') || filename.startsWith('/')) return void res.writeHead(400).end();
      const key = `${url.searchParams.get('type') || 'output'}/${url.searchParams.get('subfolder') ?? ''}/${filename}`;
      const file = this.files.get(key);
      if (!file) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': file.type, 'content-disposition': `filename="${filename}"` }).end(file.bytes);
    }
    if (req.method === 'POST' && route === '/interrupt') {
      const data = await body();
      this.interrupts.push(data);
      // server.py since 2025: a prompt_id interrupts only that prompt, and only while it runs.
      if (this.options.legacyInterrupt || !data.prompt_id || data.prompt_id === this.#running?.id) this.#interrupted = Boolean(this.#running);
      return void res.writeHead(200).end();
    }
    if (req.method === 'POST' && route === '/queue') {
      const data = await body();
      if (Array.isArray(data.delete)) this.#queue = this.#queue.filter((j) => !data.delete.includes(j.id));
      if (data.clear) this.#queue = [];
      return void res.writeHead(200).end();
    }
    if (req.method === 'GET' && route === '/queue') {
      const row = (j: Job) => [j.number, j.id, j.prompt, j.extra, j.outputs];
      return json(200, { queue_running: this.#running ? [row(this.#running)] : [], queue_pending: this.#queue.map(row) });
    }
    res.writeHead(404).end('404: Not Found');
  }

  #send(type: string, data: Record<string, unknown>, sid?: unknown): void {
    const text = JSON.stringify({ type, data });
    const target = typeof sid === 'string' ? this.#sockets.get(sid) : undefined;
    for (const ws of target ? [target] : typeof sid === 'string' ? [] : this.#sockets.values()) ws.send(text);
  }

  #broadcastStatus(): void {
    this.#send('status', { status: { exec_info: { queue_remaining: this.#remaining() } } });
  }

  async #work(): Promise<void> {
    if (this.#running) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#running = job;
    this.#interrupted = false;
    const sid = job.extra.client_id;
    const result = await runPrompt(job.id, job.prompt, job.outputs, this.cache, {
      silent: this.options.silentOutputs,
      send: (type, data) => {
        if (type === 'executing') this.#runningNode = String(data.node);
        this.#send(type, data, sid);
      },
      preview: (image) => {
        // server.py's binary frame: 4-byte event type (1 = PREVIEW_IMAGE), 4-byte image type (2 = PNG), the image.
        const header = Buffer.alloc(8);
        header.writeUInt32BE(1, 0);
        header.writeUInt32BE(2, 4);
        const ws = typeof sid === 'string' ? this.#sockets.get(sid) : undefined;
        ws?.send(Buffer.concat([header, image]));
      },
      saveFile: (type, subfolder, filename, bytes, mime) => this.files.set(`${type}/${subfolder}/${filename}`, { bytes, type: mime }),
      interrupted: () => this.#interrupted,
      step: async (_node, classType, step) => {
        const sampler = /Sampler/.test(classType);
        if (sampler && this.options.dieAtStep === step) return 'die';
        if (sampler && this.options.failAtStep === step) {
          return Object.assign(new Error('Allocation on device 0 would exceed allowed memory. (out of memory)'), { type: 'torch.OutOfMemoryError' });
        }
        await new Promise((r) => setTimeout(r, this.options.stepDelayMs ?? 5));
        return 'go';
      },
    });
    this.#runningNode = null;
    if (result.status === 'died') {
      this.#running = null;
      this.kill();
      return;
    }
    // main.py: execute() returns (execution_success already sent), then task_done() writes the history, then `executing: null`.
    await new Promise((r) => setTimeout(r, this.options.historyDelayMs ?? 40));
    const ok = result.status === 'success';
    const meta = Object.fromEntries(Object.keys(result.outputs).map((n) => [n, { node_id: n, display_node: n, parent_node: null, real_node_id: n }]));
    this.history.set(job.id, {
      prompt: [job.number, job.id, job.prompt, job.extra, job.outputs],
      outputs: result.outputs,
      status: { status_str: ok ? 'success' : 'error', completed: ok, messages: result.messages },
      meta,
    });
    this.#send('executing', { node: null, prompt_id: job.id }, sid);
    this.#running = null;
    this.#broadcastStatus();
    void this.#work();
  }
}
