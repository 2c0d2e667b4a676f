/**
 * Next steps: untried values next to the best entry's, parameters never
 * varied, and stale entries to re-run. A suggested point is a variation of an
 * existing entry, and never one whose inputs hash already exists.
 */
import { type Assignment, variationInputs } from '../core/authoring.ts';
import type { Entry } from '../core/model.ts';
import type { Best } from './best.ts';
import type { Effect } from './effects.ts';
import { entryOutcomes, entryParams, type ParamValue, showValue } from './features.ts';
import type { InputsHasher } from './inputs-hashes.ts';
import { isEvidence } from './samples.ts';
import { round } from './stats.ts';

/** A proposed next step. */
export interface Suggestion {
  /** `neighbour`: an untried value next to the best; `replicate`: the best under a new seed; `unvaried`: a parameter never changed; `rerun`: a stale entry. */
  kind: 'neighbour' | 'replicate' | 'unvaried' | 'rerun';
  /** The entry to vary (or re-run). */
  from: string;
  /** Parameters to set on a variation of `from` (empty for `rerun`). */
  set: { parameter: string; path: string[]; value: ParamValue }[];
  /** Why, citing entry ids. */
  reason: string;
  /** Inputs hash of the proposed variation; null for `rerun`. */
  inputs_hash: string | null;
}

export interface SuggestInput {
  entries: readonly Entry[];
  effects: readonly Effect[];
  best: readonly Best[];
  primary: string | null;
  hasher: InputsHasher;
  /** Inputs hashes already taken (hash → entry id). */
  taken: ReadonlyMap<string, string>;
  /** How many new points to propose. */
  limit: number;
}

export async function suggest(s: SuggestInput): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  const proposed = new Set<string>();
  const best = s.best.find((b) => b.metric === s.primary);
  const base = best && bestWithNumbers(s.entries, best);
  const add = async (kind: Suggestion['kind'], from: Entry, parameter: string, path: string[], value: ParamValue, reason: string) => {
    const assignments: Assignment[] = [{ path, value }];
    const hash = await s.hasher.hash(from.source.path, variationInputs(from, assignments));
    if (s.taken.has(hash) || proposed.has(hash)) return;
    proposed.add(hash);
    out.push({ kind, from: from.id, set: [{ parameter, path, value }], reason, inputs_hash: hash });
  };
  if (base && best) {
    const params = entryParams(base);
    const order = s.effects.filter((e) => e.metric === best.metric).map((e) => e.parameter);
    const numeric = [...params.values].filter(([, v]) => typeof v === 'number').map(([k]) => k);
    numeric.sort((a, b) => rankOf(order, a) - rankOf(order, b) || (a < b ? -1 : 1));
    const comparable = s.entries.filter((e) => e.type === base.type);
    for (const name of numeric) {
      const here = params.values.get(name) as number;
      const tried = [...new Set(comparable.map((e) => entryParams(e).values.get(name)).filter((v): v is number => typeof v === 'number'))].sort(
        (a, b) => a - b,
      );
      const key = params.keys.get(name)!;
      if (/seed/i.test(name)) {
        // Seeds have no order: the useful next step is the best setting again under a new seed.
        let v = here + 1;
        while (tried.includes(v)) v++;
        await add('replicate', base, name, key.path, v, `re-running ${base.id} with ${name}=${v} checks that its ${best.metric} is not luck`);
      } else if (tried.length > 1) {
        const integers = tried.every(Number.isInteger);
        for (const v of neighbours(tried, here, integers)) {
          await add(
            'neighbour',
            base,
            name,
            key.path,
            v,
            `${base.id} has the ${base.id === best.entry ? 'best' : 'best varied'} ${best.metric} (${entryOutcomes(base).get(best.metric)}) at ${name}=${showValue(here)}; ${name}=${v} next to it is untried`,
          );
        }
      } else {
        const v = here === 0 ? 1 : Number.isInteger(here) ? here * 2 : round(here * 2);
        await add('unvaried', base, name, key.path, v, `${name} was never varied (always ${showValue(here)}); try ${name}=${v} on ${base.id}`);
      }
    }
  }
  // Neighbours first (closest to the best), then a replicate, then never-varied parameters; stale re-runs last (sort is stable).
  const order = ['neighbour', 'replicate', 'unvaried'];
  out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  // `limit` caps the new points; every stale entry is listed (re-running it creates nothing).
  out.splice(s.limit);
  for (const e of [...s.entries].filter((x) => x.stale).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    out.push({
      kind: 'rerun',
      from: e.id,
      set: [],
      reason: `${e.id} is stale: its inputs changed after it ran; re-run it with \`lab run ${e.id} --stale\``,
      inputs_hash: null,
    });
  }
  return out;
}

/** The best entry for the metric that has numeric parameters to move (a hand-graded keeper may have none). */
function bestWithNumbers(entries: readonly Entry[], best: Best): Entry | undefined {
  const sign = best.goal === 'maximize' ? -1 : 1;
  return entries
    .filter((e) => isEvidence(e) && entryOutcomes(e).has(best.metric) && [...entryParams(e).values.values()].some((v) => typeof v === 'number'))
    .sort((a, b) => sign * (entryOutcomes(a).get(best.metric)! - entryOutcomes(b).get(best.metric)!) || (a.id < b.id ? -1 : 1))[0];
}

function rankOf(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** Midpoints to the tried values on each side of `here`, or one step beyond when `here` is at an end. */
function neighbours(tried: readonly number[], here: number, integers: boolean): number[] {
  const i = tried.indexOf(here);
  if (i < 0) return [];
  const out: number[] = [];
  const fix = (v: number) => (integers ? Math.round(v) : round(v));
  const below = i > 0 ? tried[i - 1] : null;
  const above = i < tried.length - 1 ? tried[i + 1] : null;
  if (below !== null) out.push(fix((below! + here) / 2));
  else if (above !== null) out.push(fix(here - (above! - here)));
  if (above !== null) out.push(fix((above! + here) / 2));
  else if (below !== null) out.push(fix(here + (here - below!)));
  // Stepping past zero from all-positive values (steps, sizes) makes no sense.
  return [...new Set(out)].filter((v) => !tried.includes(v) && (tried[0]! <= 0 || v > 0));
}
