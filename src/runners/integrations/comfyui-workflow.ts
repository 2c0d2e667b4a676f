/**
 * ComfyUI API-format workflows (`{ "<node id>": { class_type, inputs } }`) and
 * how `inputs.parameters` are applied to them: explicitly (`"6.text"`) or by
 * well-known names found by node class and by following links from the sampler.
 */
import { RunFailure } from '../types.ts';

export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

export type ApiWorkflow = Record<string, WorkflowNode>;

/** Parameter names the integration knows how to place without a node id. */
export const WELL_KNOWN_PARAMETERS = [
  'prompt', 'negative_prompt', 'seed', 'steps', 'cfg', 'width', 'height', 'sampler_name', 'scheduler', 'ckpt_name', 'denoise', 'batch_size',
] as const;

const SAMPLERS = /^(KSampler|KSamplerAdvanced|SamplerCustom|SamplerCustomAdvanced)$/;

/** Parses and checks a workflow file's JSON; a UI-format export gets a hint on how to get the API format. */
export function parseWorkflow(text: string, file: string): ApiWorkflow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunFailure(`workflow ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new RunFailure(`workflow ${file} must be a JSON object of nodes`);
  const obj = value as Record<string, unknown>;
  if (Array.isArray(obj.nodes) && Array.isArray(obj.links)) {
    throw new RunFailure(`workflow ${file} is in ComfyUI's UI format; export it with "Save (API Format)" (enable dev mode options in the settings)`);
  }
  const workflow = (obj.prompt && typeof obj.prompt === 'object' ? obj.prompt : obj) as Record<string, unknown>;
  for (const [id, node] of Object.entries(workflow)) {
    const n = node as Partial<WorkflowNode> | null;
    if (!n || typeof n !== 'object' || typeof n.class_type !== 'string' || !n.inputs || typeof n.inputs !== 'object') {
      throw new RunFailure(`workflow ${file}: node ${id} needs a \`class_type\` and an \`inputs\` object (API format)`);
    }
  }
  if (!Object.keys(workflow).length) throw new RunFailure(`workflow ${file} has no nodes`);
  return workflow as ApiWorkflow;
}

/**
 * Applies parameters to a copy of the workflow. Returns the new workflow and
 * the assignments made as `"<node>.<input>": value` (recorded in the outputs).
 */
export function applyParameters(workflow: ApiWorkflow, parameters: Record<string, unknown>): { workflow: ApiWorkflow; applied: Record<string, unknown> } {
  const wf: ApiWorkflow = structuredClone(workflow);
  const applied: Record<string, unknown> = {};
  const set = (id: string, input: string, value: unknown) => {
    wf[id].inputs[input] = value;
    applied[`${id}.${input}`] = value;
  };
  for (const [name, value] of Object.entries(parameters)) {
    const explicit = /^([^.]+)\.(.+)$/.exec(name);
    if (explicit) {
      const [, id, input] = explicit;
      if (!wf[id]) throw new RunFailure(`parameter \`${name}\`: the workflow has no node ${id}`);
      set(id, input, value);
      continue;
    }
    const targets = wellKnownTargets(wf, name);
    if (targets === null) {
      throw new RunFailure(`unknown parameter \`${name}\`: use one of ${WELL_KNOWN_PARAMETERS.join(', ')} or "<node id>.<input>" (e.g. "6.text")`);
    }
    if (!targets.length) throw new RunFailure(`parameter \`${name}\` matches no node in the workflow; name the node explicitly, e.g. "<node id>.${name}"`);
    for (const [id, input] of targets) set(id, input, value);
  }
  return { workflow: wf, applied };
}

/** `[node id, input]` pairs a well-known parameter applies to; null when the name is not well known. */
export function wellKnownTargets(wf: ApiWorkflow, name: string): [string, string][] | null {
  const nodes = Object.entries(wf);
  const samplers = nodes.filter(([, n]) => SAMPLERS.test(n.class_type));
  const withInput = (input: string, classTest: (c: string) => boolean) =>
    nodes.filter(([, n]) => classTest(n.class_type) && input in n.inputs && !isLink(n.inputs[input])).map(([id]) => [id, input] as [string, string]);
  switch (name) {
    case 'prompt':
    case 'negative_prompt': {
      const side = name === 'prompt' ? 'positive' : 'negative';
      const found = new Set<string>();
      for (const [, s] of samplers) {
        const link = s.inputs[side];
        if (isLink(link)) for (const id of textEncodersUpstream(wf, String(link[0]))) found.add(id);
      }
      if (!found.size && name === 'prompt') {
        const encoders = nodes.filter(([, n]) => /^CLIPTextEncode/.test(n.class_type) && 'text' in n.inputs);
        if (encoders.length === 1) found.add(encoders[0][0]);
      }
      return [...found].sort().map((id) => [id, 'text']);
    }
    case 'seed':
      return [...withInput('seed', (c) => SAMPLERS.test(c)), ...withInput('noise_seed', (c) => SAMPLERS.test(c) || c === 'RandomNoise')];
    case 'steps':
    case 'cfg':
    case 'sampler_name':
    case 'scheduler':
    case 'denoise':
      return withInput(name, (c) => SAMPLERS.test(c) || /Scheduler|KSamplerSelect|CFGGuider/.test(c));
    case 'width':
    case 'height':
    case 'batch_size':
      return withInput(name, (c) => /Latent/.test(c));
    case 'ckpt_name':
      return withInput('ckpt_name', () => true);
    default:
      return null;
  }
}

/** CLIPTextEncode-like nodes feeding a conditioning input (through conditioning combiners). */
function textEncodersUpstream(wf: ApiWorkflow, id: string, seen = new Set<string>()): string[] {
  if (seen.has(id) || !wf[id]) return [];
  seen.add(id);
  const node = wf[id];
  if ('text' in node.inputs && !isLink(node.inputs.text)) return [id];
  return Object.values(node.inputs).flatMap((v) => (isLink(v) ? textEncodersUpstream(wf, String(v[0]), seen) : []));
}

export function isLink(v: unknown): v is [string | number, number] {
  return Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && typeof v[1] === 'number';
}
