/**
 * `comfyui`: queues an API-format workflow on a ComfyUI server with parameter
 * overrides, follows the run on `/ws?clientId=` (progress, executing,
 * executed, execution_error, execution_success), then fetches every output
 * image from `/history/{prompt_id}` + `/view` and stores it as an artifact.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { RunFailure, type ArtifactInput, type Integration, type RunContext } from '../types.ts';
import { applyParameters, parseWorkflow, type ApiWorkflow } from './comfyui-workflow.ts';
import { checkComfyuiInputs } from './comfyui-check.ts';
import { ComfyClient, describeNodeErrors, type HistoryImage } from './comfyui-client.ts';

/** Inputs of a `comfyui` entry. */
export const comfyuiInputsSchema = z
  .strictObject({
  /** Path of an API-format workflow JSON ("Save (API Format)"), e.g. `./workflow.json`. */
  workflow: z.string().min(1, 'must name a workflow file'),
  /** Server URL; default `$LAB_COMFYUI_URL`, else http://127.0.0.1:8188. */
  server: z.string().refine((u) => /^https?:\/\/\S+$/i.test(u), { error: 'must be an http:// or https:// URL' }).optional(),
  /** Overrides: well-known names (prompt, negative_prompt, seed, steps, cfg, width, height, sampler_name, scheduler, ckpt_name) or `"<node id>.<input>"`. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Give up (and interrupt the prompt on the server) after this long. */
  timeout: z.union([z.string(), z.number()]).optional(),
  });

export type ComfyuiInputs = z.infer<typeof comfyuiInputsSchema>;

export const comfyui: Integration<ComfyuiInputs> = {
  name: 'comfyui',
  inputsSchema: comfyuiInputsSchema,
  check: checkComfyuiInputs,
  flatParameterKeys: true,
  inputsTemplate: [
    '  # An API-format workflow: in ComfyUI, "Save (API Format)" (Settings → enable dev mode options).',
    '  workflow: ./workflow.json',
    '  # server: http://127.0.0.1:8188   # default: $LAB_COMFYUI_URL, else http://127.0.0.1:8188',
    '  parameters:',
    '    # Well-known names: prompt, negative_prompt, seed, steps, cfg, width, height, sampler_name, scheduler, ckpt_name, denoise, batch_size',
    '    # or a node input, quoted: "6.text": a lake at dawn',
    '    seed: 42',
  ].join('\n'),
  async execute(inputs, ctx) {
    const server = (inputs.server ?? process.env.LAB_COMFYUI_URL ?? 'http://127.0.0.1:8188').replace(/\/+$/, '');
    const file = ctx.resolveInputFile(inputs.workflow, 'workflow');
    const base = parseWorkflow(await fs.readFile(file, 'utf8'), inputs.workflow);
    const { workflow, applied } = applyParameters(base, inputs.parameters ?? {});
    const timeoutMs = inputs.timeout === undefined ? undefined : parseDuration(inputs.timeout, 'inputs.timeout');
    const signal = timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) : ctx.signal;
    const client = new ComfyClient(server, randomUUID(), ctx.redact);
    const outputs: Record<string, unknown> = { server: ctx.redact(server), parameters_applied: applied };

    ctx.progress({ message: `connecting to ComfyUI at ${ctx.redact(server)}` });
    await client.connect(signal);
    let promptId: string | null = null;
    const t0 = performance.now();
    try {
      const queued = await client.queuePrompt(workflow, signal);
      promptId = queued.prompt_id;
      outputs.prompt_id = promptId;
      if (queued.node_errors && Object.keys(queued.node_errors).length) {
        outputs.node_errors = queued.node_errors;
        ctx.log('events', `node errors (outputs ignored by the server): ${describeNodeErrors(queued.node_errors, workflow)}\n`);
      }
      ctx.progress({ message: `queued as ${promptId}` });
      const run = await followRun(client, promptId, workflow, ctx, signal);
      const history = await client.history(promptId, signal);
      const images = history ? collectImages(history.outputs) : run.images;
      if (history?.status?.status_str === 'error' && !run.error) {
        throw new RunFailure('ComfyUI reports the prompt ended with an error (see the events log)', { outputs });
      }
      const artifacts: ArtifactInput[] = [];
      let n = 0;
      for (const image of images) {
        ctx.progress({ value: ++n, max: images.length, message: `fetching ${image.filename}` });
        const { bytes, type } = await client.view(image, signal);
        artifacts.push({ name: artifactName(image), data: bytes, type });
      }
      outputs.images = images.length;
      outputs.executed_nodes = run.executed;
      const seconds = Math.round(performance.now() - t0) / 1000;
      return { outputs, metrics: { execution_seconds: seconds, sampler_steps: run.steps }, artifacts };
    } catch (e) {
      if (signal.aborted && promptId) await client.interrupt(promptId).catch(() => {});
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (signal.aborted) throw new RunFailure(`ComfyUI run timed out after ${inputs.timeout}; the prompt was interrupted on the server`, { outputs });
      if (e instanceof RunFailure) {
        e.outputs = { ...outputs, ...(e.outputs ?? {}) };
        throw e;
      }
      throw new RunFailure((e as Error).message, { outputs });
    } finally {
      client.close();
    }
  },
};

interface RunState {
  images: HistoryImage[];
  executed: string[];
  steps: number;
  error: string | null;
}

/** Follows WebSocket messages for one prompt until it succeeds, fails, or the server goes away. */
function followRun(client: ComfyClient, promptId: string, workflow: ApiWorkflow, ctx: RunContext, signal: AbortSignal): Promise<RunState> {
  const state: RunState = { images: [], executed: [], steps: 0, error: null };
  const label = (node: unknown) => (node != null && workflow[String(node)] ? `${workflow[String(node)].class_type} (node ${node})` : `node ${node}`);
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(state);
    };
    const onAbort = () => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    const unsubscribe = client.onMessage((type, data) => {
      if (type === '__closed__') {
        done(new RunFailure(`the ComfyUI server closed the connection mid-run (after ${state.steps} sampler steps)`, { outputs: { prompt_id: promptId } }));
        return;
      }
      if (data?.prompt_id !== undefined && data.prompt_id !== promptId) return;
      ctx.log('events', `${JSON.stringify({ type, data })}\n`);
      switch (type) {
        case 'execution_start':
          ctx.progress({ message: 'started' });
          break;
        case 'executing':
          if (data.node == null) done(); // end of the prompt (older servers send no execution_success)
          else ctx.progress({ message: label(data.node) });
          break;
        case 'progress':
          state.steps = Math.max(state.steps, Number(data.value) || 0);
          ctx.progress({ value: Number(data.value), max: Number(data.max), message: label(data.node) });
          break;
        case 'executed': {
          state.executed.push(String(data.node));
          const imgs = (data.output?.images ?? []) as HistoryImage[];
          state.images.push(...imgs);
          break;
        }
        case 'execution_error': {
          const node = data.node_id ?? data.node;
          state.error = `ComfyUI failed in ${data.node_type ?? workflow[String(node)]?.class_type ?? 'a node'} (node ${node}): ${data.exception_type ? `${data.exception_type}: ` : ''}${data.exception_message ?? 'unknown error'}`;
          done(new RunFailure(state.error, { outputs: { prompt_id: promptId, failed_node: String(node) } }));
          break;
        }
        case 'execution_interrupted':
          done(new RunFailure(`the prompt was interrupted on the ComfyUI server at ${label(data.node_id)}`));
          break;
        case 'execution_success':
          done();
          break;
      }
    });
  });
}

function collectImages(outputs: Record<string, { images?: HistoryImage[] }>): HistoryImage[] {
  return Object.keys(outputs)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .flatMap((id) => outputs[id].images ?? []);
}

/** `<subfolder>/<filename>` (previews under `temp/`), safe as an artifact name. */
function artifactName(image: HistoryImage): string {
  const clean = (s: string) => s.split(/[\\/]+/).filter((p) => p && p !== '.' && p !== '..').join('/');
  const name = [image.type === 'temp' ? 'temp' : '', clean(image.subfolder ?? ''), clean(image.filename)].filter(Boolean).join('/');
  return name || 'image.png';
}
