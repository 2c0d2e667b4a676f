/**
 * `comfyui`: places parameter overrides by graph semantics (checked against the
 * server's `/object_info` when it offers one), queues the API-format workflow,
 * follows the run on `/ws?clientId=` (progress, executing, execution_cached,
 * executed, execution_error, execution_success), then fetches every output file
 * (images, videos, animations, audio) from `/history/{prompt_id}` + `/view` and
 * stores it as an artifact; text outputs go into `outputs.text`.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { type ArtifactInput, type Integration, type RunContext, RunFailure } from '../types.ts';
import { checkComfyuiInputs } from './comfyui-check.ts';
import { ComfyClient, describeNodeErrors, type NodeOutput } from './comfyui-client.ts';
import { compareIds, isOutputNode } from './comfyui-graph.ts';
import { artifactName, collectOutputs, countByMedia, mergeOutputs, outputType } from './comfyui-outputs.ts';
import { describePlacement } from './comfyui-placement.ts';
import { type ApiWorkflow, applyParameters, parseWorkflow } from './comfyui-workflow.ts';

/** Inputs of a `comfyui` entry. */
export const comfyuiInputsSchema = z.strictObject({
  /** Path of an API-format workflow JSON ("Save (API Format)"), e.g. `./workflow.json`. */
  workflow: z.string().min(1, 'must name a workflow file'),
  /** Server URL; default `$LAB_COMFYUI_URL`, else http://127.0.0.1:8188. */
  server: z
    .string()
    .refine((u) => /^https?:\/\/\S+$/i.test(u), { error: 'must be an http:// or https:// URL' })
    .optional(),
  /** Overrides: well-known names (prompt, negative_prompt, seed, steps, cfg, width, height, sampler_name, scheduler, ckpt_name) or `"<node id>.<input>"`. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Give up (and interrupt the prompt on the server) after this long. */
  timeout: z.union([z.string(), z.number()]).optional(),
});

export type ComfyuiInputs = z.infer<typeof comfyuiInputsSchema>;

export const comfyui: Integration<ComfyuiInputs> = {
  name: 'comfyui',
  inputsSchema: comfyuiInputsSchema,
  /** For `--dry-run`: where each parameter goes (without the server's catalogue). */
  async plan(inputs, ctx) {
    const file = ctx.resolveInputFile(inputs.workflow, 'workflow');
    const base = parseWorkflow(await fs.readFile(file, 'utf8'), inputs.workflow);
    return applyParameters(base, inputs.parameters ?? {}).placements.map(describePlacement);
  },
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
    const timeoutMs = inputs.timeout === undefined ? undefined : parseDuration(inputs.timeout, 'inputs.timeout');
    const signal = timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) : ctx.signal;
    const client = new ComfyClient(server, randomUUID(), ctx.redact);
    // Placement mistakes fail before anything is sent; the server's catalogue, when offered, checks them further.
    applyParameters(base, inputs.parameters ?? {});

    ctx.progress({ message: `connecting to ComfyUI at ${ctx.redact(server)}` });
    await client.connect(signal);
    let promptId: string | null = null;
    const outputs: Record<string, unknown> = { server: ctx.redact(server) };
    const t0 = performance.now();
    try {
      const info = await client.objectInfo(signal);
      const { workflow, applied, placements } = applyParameters(base, inputs.parameters ?? {}, info ?? undefined);
      outputs.parameters_applied = applied;
      for (const p of placements) ctx.log('events', `placed ${describePlacement(p)}\n`);
      const queued = await client.queuePrompt(workflow, signal);
      promptId = queued.prompt_id;
      outputs.prompt_id = promptId;
      if (queued.node_errors && Object.keys(queued.node_errors).length) {
        outputs.node_errors = queued.node_errors;
        ctx.log('events', `node errors (outputs ignored by the server): ${describeNodeErrors(queued.node_errors, workflow)}\n`);
      }
      ctx.progress({ message: `queued as ${promptId}` });
      const run = await followRun(client, promptId, workflow, ctx, signal);
      const history = await client.waitForHistory(promptId, signal, run.ended === 'success' ? 10_000 : 2_000);
      if (!history) ctx.log('events', 'warning: the server kept no history for this prompt; outputs are taken from the socket messages\n');
      if (history?.status?.status_str === 'error' && !run.error) {
        throw new RunFailure('ComfyUI reports the prompt ended with an error (see the events log)', { outputs });
      }
      const { files, text } = collectOutputs(mergeOutputs(run.outputs, history?.outputs ?? null));
      const artifacts: ArtifactInput[] = [];
      const typed: { type: string; kind: string }[] = [];
      let n = 0;
      for (const f of files) {
        ctx.progress({ value: ++n, max: files.length, message: `fetching ${f.filename}` });
        const { bytes, type: served } = await client.view(f, signal);
        const type = outputType(f, served);
        artifacts.push({ name: artifactName(f), data: bytes, type });
        typed.push({ type, kind: f.kind });
      }
      const counts = countByMedia(typed);
      outputs.images = counts.images;
      if (counts.videos) outputs.videos = counts.videos;
      if (counts.audio) outputs.audio = counts.audio;
      if (Object.keys(text).length) outputs.text = text;
      outputs.executed_nodes = run.executed;
      if (run.cached.length) outputs.cached_nodes = run.cached;
      const outputNodes = Object.keys(workflow).filter((id) => isOutputNode(workflow[id]!, info ?? undefined));
      if (!artifacts.length && !Object.keys(text).length && outputNodes.length) {
        const warning = `the run completed but its output nodes (${outputNodes.map((id) => `${id} ${workflow[id]!.class_type}`).join(', ')}) produced no files`;
        outputs.warnings = [warning];
        ctx.log('events', `warning: ${warning}\n`);
        ctx.progress({ message: `warning: ${warning}` });
      }
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
  /** UI outputs from `executed` messages, by node. */
  outputs: Record<string, NodeOutput>;
  executed: string[];
  cached: string[];
  ended: 'success' | 'end' | null;
  steps: number;
  error: string | null;
}

/** Follows WebSocket messages for one prompt until it succeeds, fails, or the server goes away. */
function followRun(client: ComfyClient, promptId: string, workflow: ApiWorkflow, ctx: RunContext, signal: AbortSignal): Promise<RunState> {
  const state: RunState = { outputs: {}, executed: [], cached: [], ended: null, steps: 0, error: null };
  const label = (node: unknown) => (node != null && workflow[String(node)] ? `${workflow[String(node)]!.class_type} (node ${node})` : `node ${node}`);
  return new Promise((resolve, reject) => {
    // Messages that came before this subscription are replayed synchronously and may already end the run.
    let unsubscribe: (() => void) | null = null;
    let finished = false;
    const done = (error?: Error) => {
      if (finished) return;
      finished = true;
      unsubscribe?.();
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(state);
    };
    const onAbort = () => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    // An abort that came while queueing (Ctrl-C on "queued as …") fires no event any more.
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    unsubscribe = client.onMessage((type, data) => {
      if (type === '__closed__') {
        done(new RunFailure(`the ComfyUI server closed the connection mid-run (after ${state.steps} sampler steps)`, { outputs: { prompt_id: promptId } }));
        return;
      }
      if (type === '__reconnected__') {
        ctx.log('events', `reconnected to the server (attempt ${data.attempt}); the prompt keeps running\n`);
        return;
      }
      if (data?.prompt_id !== undefined && data.prompt_id !== promptId) return;
      ctx.log('events', `${JSON.stringify({ type, data })}\n`);
      switch (type) {
        case 'execution_start':
          ctx.progress({ message: 'started' });
          break;
        case 'execution_cached':
          if (Array.isArray(data.nodes)) state.cached = data.nodes.map(String).sort(compareIds);
          if (state.cached.length) ctx.progress({ message: `${state.cached.length} nodes cached from an earlier run` });
          break;
        case 'executing':
          if (data.node == null) {
            state.ended ??= 'end';
            done(); // end of the prompt (older servers send no execution_success)
          } else ctx.progress({ message: label(data.node) });
          break;
        case 'progress':
          state.steps = Math.max(state.steps, Number(data.value) || 0);
          ctx.progress({ value: Number(data.value), max: Number(data.max), message: label(data.node) });
          break;
        case 'executed': {
          if (!state.cached.includes(String(data.node))) state.executed.push(String(data.node));
          if (data.output && typeof data.output === 'object') state.outputs[String(data.node)] = data.output as NodeOutput;
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
          state.ended = 'success';
          done();
          break;
      }
    });
    if (finished) unsubscribe();
  });
}
