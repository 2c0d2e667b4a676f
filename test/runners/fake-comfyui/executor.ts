/**
 * How the fake ComfyUI executes one prompt, the way execution.py does:
 * `execution_start`, `execution_cached` (nodes whose inputs are unchanged since
 * an earlier prompt are not run again; cached output nodes re-send their
 * `executed` output), then per node `executing`, `progress` + `progress_state`
 * for every long node (samplers, preprocessors, video encoding), binary
 * preview frames while sampling, `executed` with the node's UI output (images,
 * `gifs`, `animated`, `audio`, `text`), and `execution_success`,
 * `execution_error` or `execution_interrupted`.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { CATALOGUE } from './catalogue.ts';
import { executionOrder, isLink, type Prompt } from './nodes.ts';

export type UiOutput = Record<string, unknown[]>;

export interface RunHooks {
  /** Output nodes report nothing (a custom node that saves files without telling the UI). */
  silent?: boolean;
  send(type: string, data: Record<string, unknown>): void;
  preview(image: Buffer): void;
  saveFile(type: 'output' | 'temp', subfolder: string, filename: string, bytes: Buffer, mime: string): void;
  interrupted(): boolean;
  /** Called at each step of a long node; returning 'die' stops the server there. */
  step(node: string, classType: string, step: number): Promise<'go' | 'die' | Error>;
}

export interface RunResult {
  status: 'success' | 'error' | 'interrupted' | 'died';
  outputs: Record<string, UiOutput>;
  messages: [string, Record<string, unknown>][];
  executed: string[];
}

interface CacheEntry {
  value: Record<string, unknown>;
  ui: UiOutput | null;
}

/** Outputs of earlier prompts by input signature: what makes a re-run cached. */
export class NodeCache {
  readonly entries = new Map<string, CacheEntry>();
  /** The file counter folder_paths keeps per prefix (one for all here). */
  counter = 0;
}

export async function runPrompt(id: string, prompt: Prompt, outputs: string[], cache: NodeCache, hooks: RunHooks): Promise<RunResult> {
  const messages: [string, Record<string, unknown>][] = [];
  const note = (type: string, data: Record<string, unknown>) => {
    const d = { ...data, prompt_id: id, timestamp: Date.now() };
    messages.push([type, d]);
    hooks.send(type, d);
  };
  const order = executionOrder(prompt, outputs);
  const signatures = new Map<string, string>();
  const signature = (nid: string): string => {
    if (signatures.has(nid)) return signatures.get(nid)!;
    const n = prompt[nid]!;
    const inputs = Object.fromEntries(
      Object.entries(n.inputs)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, isLink(v) ? [signature(String(v[0])), v[1]] : v]),
    );
    const s = JSON.stringify([n.class_type, inputs]);
    signatures.set(nid, s);
    return s;
  };
  const cached = order.filter((nid) => cache.entries.has(signature(nid)));
  note('execution_start', {});
  note('execution_cached', { nodes: cached });
  const values = new Map<string, Record<string, unknown>>();
  const result: RunResult = { status: 'success', outputs: {}, messages, executed: [] };
  for (const nid of order) {
    const node = prompt[nid]!;
    const hit = cache.entries.get(signature(nid));
    if (hit) {
      values.set(nid, hit.value);
      if (hit.ui) {
        result.outputs[nid] = hit.ui;
        hooks.send('executed', { node: nid, display_node: nid, output: hit.ui, prompt_id: id });
      }
      continue;
    }
    hooks.send('executing', { node: nid, display_node: nid, prompt_id: id });
    try {
      const { value, ui } = await executeNode(id, nid, prompt, values, hooks, cache);
      if (value === 'died') {
        result.status = 'died';
        return result;
      }
      values.set(nid, value);
      cache.entries.set(signature(nid), { value, ui });
      result.executed.push(nid);
      if (ui && !hooks.silent) {
        result.outputs[nid] = ui;
        hooks.send('executed', { node: nid, display_node: nid, output: ui, prompt_id: id });
      }
    } catch (e) {
      const err = e as Error & { type?: string; interrupted?: boolean };
      if (err.interrupted) {
        result.status = 'interrupted';
        note('execution_interrupted', { node_id: nid, node_type: node.class_type, executed: result.executed });
      } else {
        result.status = 'error';
        note('execution_error', {
          node_id: nid,
          node_type: node.class_type,
          executed: result.executed,
          exception_message: err.message,
          exception_type: err.type ?? 'Exception',
          traceback: ['  File "execution.py", line 496, in execute\n', `    raise ${err.type ?? 'Exception'}\n`],
          current_inputs: {},
          current_outputs: {},
        });
      }
      return result;
    }
  }
  note('execution_success', {});
  return result;
}

async function executeNode(
  promptId: string,
  nid: string,
  prompt: Prompt,
  values: Map<string, Record<string, unknown>>,
  hooks: RunHooks,
  cache: NodeCache,
): Promise<{ value: Record<string, unknown> | 'died'; ui: UiOutput | null }> {
  const node = prompt[nid]!;
  const def = CATALOGUE[node.class_type]!;
  const linked = (name: string) => {
    const v = node.inputs[name];
    return isLink(v) ? (values.get(String(v[0])) ?? {}) : {};
  };
  /** A scalar input: its own value or the value of the primitive it links to. */
  const scalar = (name: string): unknown => {
    const v = node.inputs[name];
    return isLink(v) ? values.get(String(v[0]))?.value : v;
  };
  const own: Record<string, unknown> = Object.fromEntries(Object.keys(node.inputs).map((k) => [k, scalar(k)]));
  const long = async (steps: number, preview: boolean): Promise<'ok' | 'died'> => {
    for (let step = 1; step <= steps; step++) {
      if (hooks.interrupted()) throw Object.assign(new Error('Processing interrupted'), { interrupted: true });
      const go = await hooks.step(nid, node.class_type, step);
      if (go === 'die') return 'died';
      if (go instanceof Error) throw go;
      hooks.send('progress', { value: step, max: steps, prompt_id: promptId, node: nid });
      hooks.send('progress_state', {
        prompt_id: promptId,
        nodes: {
          [nid]: {
            value: step,
            max: steps,
            state: step === steps ? 'finished' : 'running',
            node_id: nid,
            prompt_id: promptId,
            display_node_id: nid,
            parent_node_id: null,
            real_node_id: nid,
          },
        },
      });
      if (preview && step % 5 === 0) hooks.preview(await png(8, 8, step));
    }
    return 'ok';
  };
  const frames = (spec: Record<string, unknown>) => Number(spec.frames ?? 1) * Number(spec.batch ?? 1);
  switch (def.run) {
    case 'latent': {
      if (/^Empty/.test(node.class_type))
        return { value: { width: Number(own.width), height: Number(own.height), batch: Number(own.batch_size), frames: Number(own.length ?? 1) }, ui: null };
      if (node.class_type === 'LatentUpscale') return { value: { ...linked('samples'), width: Number(own.width), height: Number(own.height) }, ui: null };
      return { value: { ...linked('pixels') }, ui: null };
    }
    case 'sample': {
      const stepsFrom = node.class_type === 'SamplerCustomAdvanced' ? linked('sigmas').steps : own.steps;
      const start = Number(own.start_at_step ?? 0);
      const end = Math.min(Number(own.end_at_step ?? Infinity), Number(stepsFrom));
      const seed = Number(own.seed ?? own.noise_seed ?? linked('noise').value ?? 0);
      if ((await long(Math.max(1, end - start), true)) === 'died') return { value: 'died', ui: null };
      return { value: { ...linked('latent_image'), seed: own.add_noise === 'disable' ? Number(linked('latent_image').seed ?? 0) : seed }, ui: null };
    }
    case 'decode':
      return { value: { ...linked('samples') }, ui: null };
    case 'slow':
      if ((await long(3, false)) === 'died') return { value: 'died', ui: null };
      return { value: { ...linked('image') }, ui: null };
    case 'save-image':
    case 'preview-image':
    case 'animated': {
      const spec = linked('images') as { width: number; height: number; batch: number; seed: number; frames?: number };
      const temp = def.run === 'preview-image';
      const prefix = temp ? `ComfyUI_temp_${randomUUID().slice(0, 5)}` : String(own.filename_prefix);
      const [subfolder, base] = splitPrefix(prefix);
      const images = [];
      const count = def.run === 'animated' ? 1 : spec.batch;
      for (let b = 0; b < count; b++) {
        const ext = def.run === 'animated' ? 'webp' : 'png';
        const filename = `${base}_${String(++cache.counter).padStart(5, '0')}_.${ext}`;
        const bytes =
          ext === 'webp'
            ? await sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: color(spec.seed) } })
                .webp()
                .toBuffer()
            : await png(spec.width, spec.height, spec.seed + b);
        hooks.saveFile(temp ? 'temp' : 'output', subfolder, filename, bytes, ext === 'webp' ? 'image/webp' : 'image/png');
        images.push({ filename, subfolder, type: temp ? 'temp' : 'output' });
      }
      return { value: {}, ui: def.run === 'animated' ? { images, animated: [true] } : { images } };
    }
    case 'video': {
      const spec = linked('images') as { frames?: number; batch?: number };
      if ((await long(frames(spec), false)) === 'died') return { value: 'died', ui: null };
      const format = String(own.format);
      const ext = format === 'image/gif' ? 'gif' : format === 'image/webp' ? 'webp' : format === 'video/webm' ? 'webm' : 'mp4';
      const [subfolder, base] = splitPrefix(String(own.filename_prefix));
      const filename = `${base}_${String(++cache.counter).padStart(5, '0')}.${ext}`;
      const type = own.save_output === false ? 'temp' : 'output';
      // An ISO BMFF header is enough for a MIME sniffer; nobody decodes these frames.
      const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12), Buffer.from(`frames=${frames(spec)}`)]);
      hooks.saveFile(type, subfolder, filename, bytes, ext === 'mp4' ? 'video/mp4' : ext === 'webm' ? 'video/webm' : `image/${ext}`);
      const fullpath = `/opt/ComfyUI/${type}/${subfolder ? `${subfolder}/` : ''}${filename}`;
      return {
        value: {},
        ui: { gifs: [{ filename, subfolder, type, format, frame_rate: Number(own.frame_rate), workflow: filename.replace(/\.\w+$/, '.png'), fullpath }] },
      };
    }
    case 'audio': {
      const [subfolder, base] = splitPrefix(String(own.filename_prefix));
      const filename = `${base}_${String(++cache.counter).padStart(5, '0')}_.flac`;
      hooks.saveFile('output', subfolder, filename, Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(34)]), 'audio/flac');
      return { value: {}, ui: { audio: [{ filename, subfolder, type: 'output' }] } };
    }
    case 'text':
      return { value: {}, ui: { text: [String(scalar('source') ?? '')] } };
    default:
      // Loaded pictures are small; their size flows on through VAEEncode into the latent.
      if (node.class_type === 'LoadImage') return { value: { width: 64, height: 48, batch: 1, frames: 1 }, ui: null };
      if (node.class_type === 'StringConcatenate') return { value: { value: `${own.string_a}${own.delimiter}${own.string_b}` }, ui: null };
      return { value: { ...own, value: own.value ?? own.noise_seed }, ui: null };
  }
}

/** `wan22/fox` → subfolder `wan22`, base `fox` (how folder_paths.get_save_image_path splits a prefix). */
function splitPrefix(prefix: string): [string, string] {
  const i = prefix.lastIndexOf('/');
  return i < 0 ? ['', prefix] : [prefix.slice(0, i), prefix.slice(i + 1)];
}

function color(seed: number): { r: number; g: number; b: number } {
  const hue = (seed * 47) % 360;
  const [r, g, b] = [0, 120, 240].map((o) => Math.round(127 + 127 * Math.cos(((hue + o) * Math.PI) / 180))) as [number, number, number];
  return { r, g, b };
}

/** A real PNG of the given size, colored by seed. */
function png(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color(seed) } })
    .png()
    .toBuffer();
}
