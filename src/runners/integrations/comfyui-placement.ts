/**
 * Where `inputs.parameters` of a `comfyui` entry land in the workflow, by
 * graph semantics: prompts at the text source behind the samplers'
 * `positive`/`negative` links, seed and sampling settings on the stage that
 * adds the noise (through linked primitives and the SamplerCustomAdvanced
 * helpers), width/height on the latent source of the first sampler, and
 * `ckpt_name` on the loader of the main model. A pure function: the runner
 * applies its placements, `lab check` prints them.
 */

import {
  type ApiWorkflow,
  addsNoise,
  compareIds,
  isLink,
  latentInputs,
  linkedNode,
  type ObjectInfo,
  samplerChain,
  sortIds,
  type TextSource,
  textSourcesBehind,
  upstream,
  valueSource,
  type WorkflowNode,
} from './comfyui-graph.ts';
import { checkAgainstServer, closest, serverInputs } from './comfyui-object-info.ts';

/** Parameter names placed without a node id. */
const WELL_KNOWN_PARAMETERS = [
  'prompt',
  'negative_prompt',
  'seed',
  'steps',
  'cfg',
  'width',
  'height',
  'sampler_name',
  'scheduler',
  'ckpt_name',
  'denoise',
  'batch_size',
] as const;

/** One value set on one node input. */
export interface Placement {
  /** The parameter as the entry names it (`seed`, `"6.text"`). */
  parameter: string;
  node: string;
  input: string;
  class_type: string;
  title: string | null;
  value: unknown;
}

/** A node a parameter could go to, named so a person can pick it. */
interface Candidate {
  node: string;
  class_type: string;
  title: string | null;
  input: string;
}

/** A parameter that cannot be placed (unknown, ambiguous, or not in the graph). */
export interface PlacementProblem {
  parameter: string;
  message: string;
  candidates: Candidate[];
}

export interface PlacementResult {
  placements: Placement[];
  problems: PlacementProblem[];
}

type Target = { node: string; input: string };
type Found = { targets: Target[] } | { problem: string; candidates?: Target[] };

/** Places every parameter; never throws. With `objectInfo`, inputs and list values are checked against the server's classes. */
export function placeParameters(workflow: ApiWorkflow, parameters: Record<string, unknown>, objectInfo?: ObjectInfo): PlacementResult {
  const placements: Placement[] = [];
  const problems: PlacementProblem[] = [];
  const candidate = (t: Target): Candidate => ({
    node: t.node,
    input: t.input,
    class_type: workflow[t.node]?.class_type ?? '?',
    title: workflow[t.node]?._meta?.title ?? null,
  });
  const graph = new GraphView(workflow, objectInfo);
  for (const [name, value] of Object.entries(parameters)) {
    const found = /^([^.]+)\.(.+)$/.test(name) ? explicitTarget(workflow, name, objectInfo) : graph.wellKnown(name);
    if ('problem' in found) {
      problems.push({ parameter: name, message: found.problem, candidates: (found.candidates ?? []).map(candidate) });
      continue;
    }
    for (const t of found.targets) {
      const bad = objectInfo ? checkAgainstServer(workflow, t, value, objectInfo) : null;
      if (bad) problems.push({ parameter: name, message: bad, candidates: [] });
      else placements.push({ parameter: name, ...candidate(t), value });
    }
  }
  return { placements, problems };
}

/** `parameter \`seed\`: …; candidates: node 3 (KSampler "Base").noise_seed, …` */
export function describeProblem(p: PlacementProblem): string {
  const list = p.candidates.map((c) => `${c.node}.${c.input} (${c.class_type}${c.title && c.title !== c.class_type ? ` "${c.title}"` : ''})`);
  return `parameter \`${p.parameter}\`: ${p.message}${list.length ? `; candidates: ${list.join(', ')}` : ''}`;
}

/** `seed → 3.noise_seed (KSamplerAdvanced "Base")`, one line per placement. */
export function describePlacement(p: Placement): string {
  const title = p.title && p.title !== p.class_type ? ` "${p.title}"` : '';
  const target = `${p.node}.${p.input} (${p.class_type}${title})`;
  return p.parameter === `${p.node}.${p.input}` ? target : `${p.parameter} → ${target}`;
}

function explicitTarget(wf: ApiWorkflow, name: string, info?: ObjectInfo): Found {
  const [, node = '', input = ''] = /^([^.]+)\.(.+)$/.exec(name)!;
  if (!wf[node]) return { problem: `the workflow has no node ${node}` };
  const known = new Set([...Object.keys(wf[node]!.inputs), ...serverInputs(wf[node]!.class_type, info)]);
  if (!known.has(input)) {
    const near = closest(input, [...known]);
    return {
      problem: `node ${node} (${wf[node]!.class_type}) has no input \`${input}\`${near ? ` — did you mean \`${node}.${near}\`?` : ''}; its inputs: ${[...known].sort().join(', ')}`,
    };
  }
  return { targets: [{ node, input }] };
}

/** The well-known parameters, resolved on one workflow's graph. */
class GraphView {
  readonly #wf: ApiWorkflow;
  readonly #info?: ObjectInfo;
  readonly #chain: string[];

  constructor(wf: ApiWorkflow, info?: ObjectInfo) {
    this.#wf = wf;
    this.#info = info;
    this.#chain = samplerChain(wf, info);
  }

  wellKnown(name: string): Found {
    switch (name) {
      case 'prompt':
      case 'negative_prompt':
        return this.#text(name === 'prompt' ? 'positive' : 'negative');
      case 'seed':
      case 'steps':
      case 'cfg':
      case 'sampler_name':
      case 'scheduler':
      case 'denoise':
        return this.#samplingSetting(name);
      case 'width':
      case 'height':
      case 'batch_size':
        return this.#latentSize(name);
      case 'ckpt_name':
        return this.#checkpoint();
      default:
        return { problem: `unknown parameter: use one of ${WELL_KNOWN_PARAMETERS.join(', ')} or "<node id>.<input>" (e.g. "6.text")` };
    }
  }

  /** Nodes of a class-independent kind: all nodes having `input` as a plain value. */
  #withInput(input: string): Target[] {
    return sortIds(Object.keys(this.#wf).filter((id) => input in this.#wf[id]!.inputs)).map((node) => ({ node, input }));
  }

  /** The samplers whose stage adds noise, first of the chain first; an error when several independent chains do. */
  #mainStage(): { node: string } | { problem: string; candidates?: Target[] } {
    if (!this.#chain.length) return { problem: 'no sampler (KSampler, KSamplerAdvanced, SamplerCustom, SamplerCustomAdvanced) feeds an output node' };
    const noisy = this.#chain.filter((id) => addsNoise(this.#wf, id));
    if (!noisy.length) return { problem: 'no sampler adds noise (every stage has add_noise disabled)' };
    // Stages after another noisy stage in the same chain (hires fix, refiner) follow the first one.
    const roots = noisy.filter((id) => !noisy.some((o) => o !== id && upstream(this.#wf, latentInputs(this.#wf[id]!)).has(o)));
    if (roots.length > 1)
      return { problem: `${roots.length} independent samplers add noise; name the one you mean`, candidates: roots.map((node) => ({ node, input: 'seed' })) };
    return { node: roots[0]! };
  }

  #samplingSetting(name: 'seed' | 'steps' | 'cfg' | 'sampler_name' | 'scheduler' | 'denoise'): Found {
    const main = this.#mainStage();
    if ('problem' in main) return { ...main, candidates: main.candidates ?? this.#withInput(name === 'seed' ? 'noise_seed' : name) };
    const wf = this.#wf;
    const id = main.node;
    const node = wf[id]!;
    // Where the setting lives, per sampler class (SamplerCustomAdvanced delegates to its helper nodes).
    let at: Target | null = null;
    const via = (input: string, field: string): Target | null => {
      const helper = linkedNode(wf, node, input);
      return helper && field in wf[helper]!.inputs ? { node: helper, input: field } : null;
    };
    if (name === 'seed') {
      at = 'seed' in node.inputs ? { node: id, input: 'seed' } : 'noise_seed' in node.inputs ? { node: id, input: 'noise_seed' } : via('noise', 'noise_seed');
    } else if (name in node.inputs) at = { node: id, input: name };
    else if (name === 'cfg') at = via('guider', 'cfg');
    else if (name === 'sampler_name') at = via('sampler', 'sampler_name');
    else if (name === 'steps' || name === 'scheduler' || name === 'denoise') at = via('sigmas', name);
    if (!at) {
      const guider = linkedNode(wf, node, 'guider');
      const why =
        name === 'cfg' && guider
          ? ` (its guider is ${wf[guider]!.class_type}, which has no cfg)`
          : name === 'denoise' && node.class_type === 'KSamplerAdvanced'
            ? ' (it denoises from start_at_step to end_at_step; set those explicitly)'
            : '';
      return { problem: `the sampling stage ${id} (${node.class_type}) has no \`${name}\`${why}`, candidates: this.#withInput(name) };
    }
    const src = valueSource(wf, at.node, at.input);
    if (!src) {
      const from = wf[String((wf[at.node]!.inputs[at.input] as [string, number])[0])]!;
      return { problem: `${at.node}.${at.input} is computed by ${from.class_type}; set it there explicitly`, candidates: [at] };
    }
    // A split schedule (base + refiner, Wan's high/low noise) shares its step count: later stages keep step with the first.
    const followers =
      name === 'steps' && node.class_type === 'KSamplerAdvanced'
        ? this.#chain.filter(
            (o) =>
              o !== id &&
              wf[o]!.class_type === 'KSamplerAdvanced' &&
              !isLink(wf[o]!.inputs.steps) &&
              wf[o]!.inputs.steps === node.inputs.steps &&
              upstream(wf, latentInputs(wf[o]!)).has(id),
          )
        : [];
    return { targets: [src, ...followers.map((o) => ({ node: o, input: 'steps' }))] };
  }

  #text(side: 'positive' | 'negative'): Found {
    const wf = this.#wf;
    const sources: TextSource[] = [];
    const other: TextSource[] = [];
    const flip = side === 'positive' ? 'negative' : 'positive';
    for (const id of this.#chain) {
      const s = wf[id]!;
      // SamplerCustomAdvanced takes conditioning through its guider (CFGGuider, BasicGuider).
      const holder = 'positive' in s.inputs || 'negative' in s.inputs ? s : wf[linkedNode(wf, s, 'guider') ?? ''];
      if (!holder) continue;
      const mine = holder.inputs[side] ?? (side === 'positive' ? holder.inputs.conditioning : undefined);
      sources.push(...textSourcesBehind(wf, mine, this.#info));
      other.push(...textSourcesBehind(wf, holder.inputs[flip], this.#info));
    }
    if (!this.#chain.length && side === 'positive') {
      const encoders = Object.keys(wf).filter((id) => /^CLIPTextEncode/.test(wf[id]!.class_type) && 'text' in wf[id]!.inputs);
      if (encoders.length === 1) sources.push({ node: encoders[0]!, input: 'text' });
    }
    const unique = dedupe(sources);
    if (!unique.length) {
      const all = Object.keys(wf).flatMap((id) =>
        ['text', 'text_g', 'text_l', 'clip_l', 't5xxl'].filter((k) => typeof wf[id]!.inputs[k] === 'string').map((input) => ({ node: id, input })),
      );
      const why = this.#chain.length ? `no text encoder feeds the samplers' \`${side}\` conditioning` : 'no sampler feeds an output node';
      return { problem: why, candidates: all };
    }
    const shared = unique.filter((t) => other.some((o) => o.node === t.node && o.input === t.input));
    if (shared.length) return { problem: `the same text feeds both positive and negative conditioning`, candidates: shared };
    const assembled = unique.filter((t) => t.assembledBy);
    if (assembled.length) {
      const by = [...new Set(assembled.map((t) => t.assembledBy))].map((n) => `${n} (${wf[n!]!.class_type})`).join(', ');
      return { problem: `the ${side} text is assembled from several strings by node ${by}; name the part to set`, candidates: assembled };
    }
    return { targets: unique };
  }

  #latentSize(name: 'width' | 'height' | 'batch_size'): Found {
    const wf = this.#wf;
    const first = this.#chain[0];
    if (!first) return { problem: 'no sampler feeds an output node', candidates: this.#withInput(name) };
    // Walk back from the first sampler's latent through pass-through latent nodes to the node that creates it.
    let id: string | null = latentInputs(wf[first]!)[0] ?? null;
    const passed: string[] = [];
    for (let hops = 0; id && hops < 16; hops++) {
      const node: WorkflowNode | undefined = wf[id];
      if (!node) break;
      if (/^Empty\w*Latent|Latent\w*Video$|ToVideo$|^Wan\w*Latent/.test(node.class_type) && name in node.inputs) {
        const src = valueSource(wf, id, name);
        if (src) return { targets: [src] };
      }
      if (/^Empty/.test(node.class_type)) break;
      passed.push(id);
      id = ['samples', 'latent', 'latent_image', 'samples_from'].map((k) => linkedNode(wf, node, k)).find((x) => x !== null) ?? null;
    }
    const via = passed.map((p) => `${wf[p]!.class_type} (node ${p})`).join(' ← ');
    return {
      problem: `the first sampler (${first}) gets its latent from ${via || 'nowhere'}, not from an empty latent of a given size; the size follows its input — name the node to resize`,
      candidates: this.#withInput(name).filter((t) => !isLink(wf[t.node]!.inputs[t.input])),
    };
  }

  #checkpoint(): Found {
    const wf = this.#wf;
    const main = this.#mainStage();
    const loaders = this.#withInput('ckpt_name').filter((t) => /Checkpoint/.test(wf[t.node]!.class_type));
    if ('problem' in main) return { ...main, candidates: loaders };
    // The model input: on the sampler, or on its guider / scheduler (SamplerCustomAdvanced).
    const s = wf[main.node]!;
    const holder =
      'model' in s.inputs ? s : [linkedNode(wf, s, 'guider'), linkedNode(wf, s, 'sigmas')].map((x) => (x ? wf[x] : null)).find((n) => n && 'model' in n.inputs);
    let link = holder?.inputs.model;
    const seen = new Set<string>();
    while (isLink(link) && !seen.has(String(link[0]))) {
      const id = String(link[0]);
      seen.add(id);
      const node = wf[id];
      if (!node) break;
      if ('ckpt_name' in node.inputs) return { targets: [{ node: id, input: 'ckpt_name' }] };
      if (!('model' in node.inputs)) {
        return {
          problem: `the main model comes from ${node.class_type} (node ${id}), which has no ckpt_name; name its input explicitly`,
          candidates: [{ node: id, input: Object.keys(node.inputs).find((k) => /_name$/.test(k)) ?? 'model' }],
        };
      }
      link = node.inputs.model;
    }
    return { problem: 'no checkpoint loader feeds the main model', candidates: loaders };
  }
}

function dedupe(ts: TextSource[]): TextSource[] {
  const seen = new Map<string, TextSource>();
  for (const t of ts) seen.set(`${t.node}.${t.input}`, seen.get(`${t.node}.${t.input}`) ?? t);
  return [...seen.values()].sort((a, b) => compareIds(a.node, b.node) || a.input.localeCompare(b.input));
}
