/**
 * What ComfyUI node graphs mean, as far as parameter placement needs it:
 * which nodes save results, which nodes sample, how the sampler chain is
 * ordered, which stage adds the noise, and where a linked value comes from.
 * Knowledge of node classes comes from `/object_info` when the server gave it,
 * else from the built-in table of common classes below.
 */

/** One node of an API-format workflow. */
export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

export type ApiWorkflow = Record<string, WorkflowNode>;

/** One node class as `GET /object_info` describes it (the parts placement reads). */
interface NodeClassInfo {
  input?: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]>; hidden?: Record<string, unknown> };
  output?: string[];
  output_name?: string[];
  output_node?: boolean;
  display_name?: string;
}

/** `GET /object_info`: every node class the server has. */
export type ObjectInfo = Record<string, NodeClassInfo>;

/** A link `[source node id, output slot]`. */
export function isLink(v: unknown): v is [string | number, number] {
  return Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && typeof v[1] === 'number';
}

/** Sampler classes: they turn conditioning and a latent into a latent. */
const SAMPLER_CLASSES = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);

/**
 * Output slot names of common multi-output classes (what `/object_info` calls
 * `output_name`); used to follow `positive` vs `negative` through nodes that take both.
 */
const OUTPUT_NAMES: Record<string, string[]> = {
  CheckpointLoaderSimple: ['MODEL', 'CLIP', 'VAE'],
  ControlNetApplyAdvanced: ['positive', 'negative'],
  ControlNetApplySD3: ['positive', 'negative'],
  ApplyInstantID: ['MODEL', 'positive', 'negative'],
  ApplyInstantIDAdvanced: ['MODEL', 'positive', 'negative'],
  InpaintModelConditioning: ['positive', 'negative', 'latent'],
  WanImageToVideo: ['positive', 'negative', 'latent'],
  WanFirstLastFrameToVideo: ['positive', 'negative', 'latent', 'clip_vision_output'],
  InstructPixToPixConditioning: ['positive', 'negative', 'latent'],
  LoraLoader: ['MODEL', 'CLIP'],
  'LoraLoader|pysssss': ['MODEL', 'CLIP'],
};

/** Classes that save or preview results (what `/object_info` calls `output_node`). */
const OUTPUT_CLASSES = /^(Save|Preview)|^VHS_VideoCombine$|^Image Save$|^ShowText/;

/** Conditioning nodes whose output does not depend on their text (nothing to place behind them). */
const TEXT_BLIND = new Set(['ConditioningZeroOut']);

/** Output slot name of `[id, slot]`, from object_info or the built-in table (null when unknown). */
function outputName(wf: ApiWorkflow, link: [string | number, number], info?: ObjectInfo): string | null {
  const node = wf[String(link[0])];
  if (!node) return null;
  const names = info?.[node.class_type]?.output_name ?? OUTPUT_NAMES[node.class_type];
  return names?.[link[1]] ?? null;
}

/** Whether a node saves or previews results. */
export function isOutputNode(node: WorkflowNode, info?: ObjectInfo): boolean {
  const known = info?.[node.class_type]?.output_node;
  return known ?? OUTPUT_CLASSES.test(node.class_type);
}

/** Output node ids (sorted numerically); nodes nothing consumes when no class is known as an output. */
function outputNodes(wf: ApiWorkflow, info?: ObjectInfo): string[] {
  const ids = sortIds(Object.keys(wf).filter((id) => isOutputNode(wf[id]!, info)));
  if (ids.length) return ids;
  const consumed = new Set(
    Object.values(wf).flatMap((n) =>
      Object.values(n.inputs)
        .filter(isLink)
        .map((l) => String(l[0])),
    ),
  );
  return sortIds(Object.keys(wf).filter((id) => !consumed.has(id)));
}

/** Every node upstream of `ids` (themselves included). */
export function upstream(wf: ApiWorkflow, ids: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !wf[id]) return;
    seen.add(id);
    for (const v of Object.values(wf[id].inputs)) if (isLink(v)) visit(String(v[0]));
  };
  ids.forEach(visit);
  return seen;
}

/** Samplers that feed an output node, in chain order (a sampler whose latent comes from another one comes after it). */
export function samplerChain(wf: ApiWorkflow, info?: ObjectInfo): string[] {
  const needed = upstream(wf, outputNodes(wf, info));
  const samplers = sortIds([...needed].filter((id) => SAMPLER_CLASSES.has(wf[id]!.class_type)));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    if (depth.has(id)) return depth.get(id)!;
    depth.set(id, 0);
    const before = [...upstream(wf, latentInputs(wf[id]!))].filter((u) => u !== id && SAMPLER_CLASSES.has(wf[u]?.class_type ?? ''));
    const d = before.length ? 1 + Math.max(...before.map(depthOf)) : 0;
    depth.set(id, d);
    return d;
  };
  return samplers.sort((a, b) => depthOf(a) - depthOf(b) || compareIds(a, b));
}

/** Ids of the nodes a sampler's latent comes from. */
export function latentInputs(node: WorkflowNode): string[] {
  const v = node.inputs.latent_image;
  return isLink(v) ? [String(v[0])] : [];
}

/** Whether a sampler adds noise (the stage whose seed matters). */
export function addsNoise(wf: ApiWorkflow, id: string): boolean {
  const n = wf[id]!;
  switch (n.class_type) {
    case 'KSamplerAdvanced':
      return n.inputs.add_noise !== 'disable';
    case 'SamplerCustom':
      return n.inputs.add_noise !== false;
    case 'SamplerCustomAdvanced': {
      const noise = n.inputs.noise;
      return !(isLink(noise) && wf[String(noise[0])]?.class_type === 'DisableNoise');
    }
    default:
      return true;
  }
}

/** The node a link input points to, or null. */
export function linkedNode(wf: ApiWorkflow, node: WorkflowNode, input: string): string | null {
  const v = node.inputs[input];
  return isLink(v) && wf[String(v[0])] ? String(v[0]) : null;
}

/** Inputs that carry conditioning: what to follow back from a sampler's `positive`/`negative`. */
const CONDITIONING_INPUT = /^(conditioning(_\w+)?|conditioning_to|conditioning_from|cond|positive|negative)$/;

/** Text inputs of text encoders (SDXL has two, SD3 three, Flux two). */
const TEXT_INPUTS = ['text', 'text_g', 'text_l', 'clip_l', 'clip_g', 't5xxl', 'prompt'];

/** A place a text is set: a text encoder's input or a string node feeding it. */
export interface TextSource {
  node: string;
  input: string;
  /** Set when the text is assembled from several strings: the place is ambiguous. */
  assembledBy?: string;
}

/**
 * Text sources behind a conditioning link: walks back through conditioning
 * nodes, taking only the matching side at nodes that pass both `positive` and
 * `negative` (ControlNetApplyAdvanced, ApplyInstantID, InpaintModelConditioning).
 */
export function textSourcesBehind(wf: ApiWorkflow, link: unknown, info?: ObjectInfo, seen = new Set<string>()): TextSource[] {
  if (!isLink(link)) return [];
  const id = String(link[0]);
  const node = wf[id];
  if (!node || seen.has(`${id}:${link[1]}`) || TEXT_BLIND.has(node.class_type)) return [];
  seen.add(`${id}:${link[1]}`);
  const texts = TEXT_INPUTS.filter((k) => k in node.inputs && (typeof node.inputs[k] === 'string' || isLink(node.inputs[k])));
  if (texts.length && 'clip' in node.inputs) return texts.flatMap((k) => stringSources(wf, id, k, info));
  const side = outputName(wf, link, info);
  if ((side === 'positive' || side === 'negative') && side in node.inputs) return textSourcesBehind(wf, node.inputs[side], info, seen);
  return Object.entries(node.inputs)
    .filter(([k, v]) => CONDITIONING_INPUT.test(k) && isLink(v))
    .flatMap(([, v]) => textSourcesBehind(wf, v, info, seen));
}

/** Where the string of `id.input` is set: there, or at the string primitive linked to it. */
function stringSources(wf: ApiWorkflow, id: string, input: string, info?: ObjectInfo, depth = 0): TextSource[] {
  const v = wf[id]!.inputs[input];
  if (!isLink(v)) return [{ node: id, input }];
  const src = String(v[0]);
  const node = wf[src];
  if (!node || depth > 8) return [{ node: id, input }];
  const own = valueInput(node);
  if (own) return own === 'link' ? stringSources(wf, src, Object.keys(node.inputs)[0]!, info, depth + 1) : [{ node: src, input: own }];
  // A string built from parts (StringConcatenate, Text Concatenate): each part is a candidate.
  const parts = Object.entries(node.inputs).filter(([k, x]) => /^(string|text)_?\w*$/.test(k) && (typeof x === 'string' || isLink(x)));
  if (parts.length) return parts.flatMap(([k]) => stringSources(wf, src, k, info, depth + 1)).map((s) => ({ ...s, assembledBy: src }));
  return [{ node: id, input }];
}

/**
 * The input holding a primitive node's value (`PrimitiveInt.value`,
 * `Seed (rgthree).seed`); `link` when it only forwards one link; null when the node is not a primitive.
 */
function valueInput(node: WorkflowNode): string | null {
  if (!/Primitive|^(Int|Float|String|Seed|Text)\b|Literal|Seed|Constant|Number/i.test(node.class_type)) return null;
  const entries = Object.entries(node.inputs);
  const plain = entries.filter(([, v]) => !isLink(v));
  if (plain.length === 1) return plain[0]![0];
  if (!plain.length && entries.length === 1) return 'link';
  const named = plain.find(([k]) => /^(value|seed|string|text|int|float|number)$/.test(k));
  return named ? named[0] : null;
}

/** `id.input` → where its value is really set: a linked primitive's value input, or itself. Null when linked to a computing node. */
export function valueSource(wf: ApiWorkflow, id: string, input: string, depth = 0): { node: string; input: string } | null {
  const v = wf[id]?.inputs[input];
  if (!isLink(v)) return { node: id, input };
  const src = String(v[0]);
  const node = wf[src];
  if (!node || depth > 8) return null;
  const own = valueInput(node);
  if (!own) return null;
  return own === 'link' ? valueSource(wf, src, Object.keys(node.inputs)[0]!, depth + 1) : { node: src, input: own };
}

export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function sortIds(ids: string[]): string[] {
  return [...ids].sort(compareIds);
}
