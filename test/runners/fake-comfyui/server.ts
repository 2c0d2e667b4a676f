/**
 * A loopback stand-in for a ComfyUI server (the real one needs PyTorch and GPU
 * models). It speaks ComfyUI's protocol as server.py / execution.py / main.py
 * do: `POST /prompt` (validation with `error` + `node_errors`), a prompt queue
 * run one at a time, `/ws?clientId=` messages (status, execution_start,
 * execution_cached, executing, progress, binary previews, executed,
 * execution_error, execution_success, executing null), `/history/{id}` with
 * outputs and status, `/view` serving real PNGs made with sharp, `/interrupt`
 * and `/queue`. Test hooks make a run fail in a node or the server vanish.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import sharp from 'sharp';
import { WebSocketServer, type WebSocket } from 'ws';
import { executionOrder, validatePrompt, type Prompt } from './nodes.ts';

export interface FakeComfyOptions {
  /** Raise an exception in the KSampler at this step (execution_error mid-run). */
  failAtStep?: number;
  /** Drop every connection and stop listening at this KSampler step (the server going away). */
  dieAtStep?: number;
  /** Delay between sampler steps (ms). */
  stepDelayMs?: number;
}

interface HistoryItem {
  prompt: [number, string, Prompt, Record<string, unknown>, string[]];
  outputs: Record<string, { images: { filename: string; subfolder: string; type: string }[] }>;
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
  readonly files = new Map<string, { bytes: Buffer; type: string }>();
  readonly history = new Map<string, HistoryItem>();
  #server: Server;
  #wss = new WebSocketServer({ noServer: true });
  #sockets = new Map<string, WebSocket>();
  #raw = new Set<Socket>();
  #queue: Job[] = [];
  #running: Job | null = null;
  #number = 0;
  #counter = 0;
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
      if (url.pathname !== '/ws') return socket.destroy();
      const sid = url.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '');
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        this.#sockets.set(sid, ws);
        ws.on('close', () => this.#sockets.delete(sid));
        // Like server.py: the first message tells the client its sid and the queue state.
        ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.#remaining() } }, sid } }));
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

  #remaining(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const body = async () => {
      let text = '';
      for await (const c of req) text += c;
      return text ? JSON.parse(text) : {};
    };
    if (req.method === 'GET' && url.pathname === '/system_stats') {
      return json(200, { system: { os: 'posix', comfyui_version: '0.3.fake', python_version: 'n/a', embedded_python: false }, devices: [] });
    }
    if (req.method === 'POST' && url.pathname === '/prompt') {
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
    const hist = /^\/history\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && hist) {
      const id = decodeURIComponent(hist[1]);
      const item = this.history.get(id);
      return json(200, item ? { [id]: item } : {});
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      const filename = url.searchParams.get('filename') ?? '';
      if (!filename || filename.includes('..') || filename.startsWith('/')) return void res.writeHead(400).end();
      const key = `${url.searchParams.get('type') ?? 'output'}/${url.searchParams.get('subfolder') ?? ''}/${filename}`;
      const file = this.files.get(key);
      if (!file) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': file.type, 'content-disposition': `filename="${filename}"` }).end(file.bytes);
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') {
      const data = await body();
      if (!data.prompt_id || data.prompt_id === this.#running?.id) this.#interrupted = true;
      return void res.writeHead(200).end();
    }
    if (req.method === 'POST' && url.pathname === '/queue') {
      const data = await body();
      if (Array.isArray(data.delete)) this.#queue = this.#queue.filter((j) => !data.delete.includes(j.id));
      if (data.clear) this.#queue = [];
      return void res.writeHead(200).end();
    }
    if (req.method === 'GET' && url.pathname === '/queue') {
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
    const messages: [string, Record<string, unknown>][] = [];
    const note = (type: string, data: Record<string, unknown>) => {
      const d = { ...data, prompt_id: job.id, timestamp: Date.now() };
      messages.push([type, d]);
      this.#send(type, d, sid);
    };
    const item: HistoryItem = {
      prompt: [job.number, job.id, job.prompt, job.extra, job.outputs],
      outputs: {},
      status: { status_str: 'success', completed: false, messages },
      meta: {},
    };
    note('execution_start', {});
    note('execution_cached', { nodes: [] });
    const values = new Map<string, Record<string, unknown>>();
    const executed: string[] = [];
    let failed = false;
    for (const id of executionOrder(job.prompt, job.outputs)) {
      const node = job.prompt[id];
      this.#send('executing', { node: id, display_node: id, prompt_id: job.id }, sid);
      const input = (name: string) => {
        const v = node.inputs[name];
        return Array.isArray(v) ? values.get(String(v[0])) : v;
      };
      try {
        if (node.class_type === 'EmptyLatentImage') {
          values.set(id, { width: Number(node.inputs.width), height: Number(node.inputs.height), batch: Number(node.inputs.batch_size) });
        } else if (node.class_type === 'KSampler') {
          const steps = Number(node.inputs.steps);
          for (let step = 1; step <= steps; step++) {
            if (this.options.dieAtStep === step) {
              this.#running = null;
              this.kill();
              return;
            }
            if (this.#interrupted) throw Object.assign(new Error('Processing interrupted'), { interrupted: true });
            if (this.options.failAtStep === step) {
              throw Object.assign(new Error('Allocation on device 0 would exceed allowed memory. (out of memory)'), { type: 'torch.OutOfMemoryError' });
            }
            await new Promise((r) => setTimeout(r, this.options.stepDelayMs ?? 5));
            this.#send('progress', { value: step, max: steps, prompt_id: job.id, node: id }, sid);
            if (step % 5 === 0) this.#sendPreview(sid);
          }
          values.set(id, { ...(input('latent_image') as object), seed: Number(node.inputs.seed) });
        } else if (node.class_type === 'VAEDecode') {
          values.set(id, { ...(input('samples') as object) });
        } else if (node.class_type === 'SaveImage' || node.class_type === 'PreviewImage') {
          const spec = input('images') as { width: number; height: number; batch: number; seed: number };
          const temp = node.class_type === 'PreviewImage';
          const prefix = temp ? `ComfyUI_temp_${randomUUID().slice(0, 5)}` : String(node.inputs.filename_prefix);
          const images = [];
          for (let b = 0; b < spec.batch; b++) {
            const filename = `${prefix}_${String(++this.#counter).padStart(5, '0')}_.png`;
            const bytes = await png(spec.width, spec.height, spec.seed + b);
            this.files.set(`${temp ? 'temp' : 'output'}//${filename}`, { bytes, type: 'image/png' });
            images.push({ filename, subfolder: '', type: temp ? 'temp' : 'output' });
          }
          item.outputs[id] = { images };
          this.#send('executed', { node: id, display_node: id, output: { images }, prompt_id: job.id }, sid);
        } else values.set(id, {});
        executed.push(id);
        item.meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
      } catch (e) {
        failed = true;
        const err = e as Error & { type?: string; interrupted?: boolean };
        if (err.interrupted) {
          note('execution_interrupted', { node_id: id, node_type: node.class_type, executed });
        } else {
          note('execution_error', {
            node_id: id,
            node_type: node.class_type,
            executed,
            exception_message: err.message,
            exception_type: err.type ?? 'Exception',
            traceback: ['  File "execution.py", line 496, in execute\n', `    raise ${err.type ?? 'Exception'}\n`],
            current_inputs: {},
            current_outputs: {},
          });
        }
        break;
      }
    }
    if (!failed) note('execution_success', {});
    item.status.status_str = failed ? 'error' : 'success';
    item.status.completed = !failed;
    this.history.set(job.id, item);
    this.#send('executing', { node: null, prompt_id: job.id }, sid);
    this.#running = null;
    this.#broadcastStatus();
    void this.#work();
  }

  /** A binary preview frame: 4-byte event type (1 = PREVIEW_IMAGE), 4-byte image type (2 = PNG), PNG bytes. */
  #sendPreview(sid: unknown): void {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(1, 0);
    header.writeUInt32BE(2, 4);
    const ws = typeof sid === 'string' ? this.#sockets.get(sid) : undefined;
    void png(8, 8, 1).then((p) => ws?.send(Buffer.concat([header, p])));
  }
}

/** A real PNG of the given size, colored by seed. */
function png(width: number, height: number, seed: number): Promise<Buffer> {
  const hue = (seed * 47) % 360;
  const [r, g, b] = [0, 120, 240].map((o) => Math.round(127 + 127 * Math.cos(((hue + o) * Math.PI) / 180)));
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();
}
