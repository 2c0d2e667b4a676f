/**
 * What insights compares: each entry's parameters (the scalar leaves of its
 * inputs) and outcomes (numeric metrics, and the rating).
 */
import { canonicalJson } from '../core/hash.ts';
import type { Entry, Notebook } from '../core/model.ts';

/** A parameter value as compared: numbers stay numbers, anything else is a label. */
export type ParamValue = number | string;

/** One named parameter and where it lives in `inputs`. */
interface ParamKey {
  /** Display name: `cfg` for `inputs.parameters.cfg`, `server` for `inputs.server`. */
  name: string;
  /** Key path inside `inputs`, for writing a variation. */
  path: string[];
}

/** The parameters of one entry by display name. */
export interface EntryParams {
  keys: Map<string, ParamKey>;
  values: Map<string, ParamValue>;
}

/** Scalar leaves of `inputs`; lists count as one value (an argv, a list of tags). */
export function entryParams(entry: Pick<Entry, 'inputs'>): EntryParams {
  const keys = new Map<string, ParamKey>();
  const values = new Map<string, ParamValue>();
  const leaves: { path: string[]; value: unknown }[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    else if (value !== undefined) leaves.push({ path, value });
  };
  visit(entry.inputs ?? {}, []);
  const inParams = (p: string[]) => p[0] === 'parameters' && p.length > 1;
  // Parameters first, so they own the bare names; a top-level input of the same name becomes `inputs.<name>`.
  for (const { path, value } of [...leaves.filter((l) => inParams(l.path)), ...leaves.filter((l) => !inParams(l.path))]) {
    let name = (inParams(path) ? path.slice(1) : path).join('.');
    if (keys.has(name)) name = `inputs.${path.join('.')}`;
    keys.set(name, { name, path });
    values.set(name, typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' ? value : canonicalJson(value));
  }
  return { keys, values };
}

/** The pseudo-metric for the entry's 1–5 rating. */
const RATING = 'rating';

/** Numeric metrics by dotted name (nested maps flattened), plus `rating`. */
export function entryOutcomes(entry: Pick<Entry, 'metrics' | 'metadata'>): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.set(path.join('.'), value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(entry.metrics ?? {}, []);
  if (typeof entry.metadata?.rating === 'number') out.set(RATING, entry.metadata.rating);
  return out;
}

/** Metric goals a notebook declares in `settings.metrics` (`higher` / `lower`); later notebooks do not override earlier ones. */
export function goalsOf(notebooks: readonly Pick<Notebook, 'settings'>[]): Record<string, 'maximize' | 'minimize'> {
  const out: Record<string, 'maximize' | 'minimize'> = {};
  for (const nb of notebooks) {
    for (const [metric, dir] of Object.entries(nb.settings?.metrics ?? {})) out[metric] ??= dir === 'lower' ? 'minimize' : 'maximize';
  }
  return out;
}

/** Whether a higher value is better: the notebook's `settings.metrics`, else a guess from the name. Names that read as costs (loss, error, time, size, price) are minimized. */
export function goalOf(metric: string, goals: Record<string, 'maximize' | 'minimize'> = {}): 'maximize' | 'minimize' {
  if (goals[metric]) return goals[metric];
  const leaf = metric.split('.').pop() ?? metric;
  return /(loss|error|err$|^err|mse|rmse|mae|mape|wer|cer|fid|perplexity|seconds|secs|duration|latency|time|_ms$|^ms$|cost|usd|price|bytes|size|memory|mem_|distance|regret|p95|p99)/i.test(
    leaf,
  )
    ? 'minimize'
    : 'maximize';
}

/** Display text of a parameter value. */
export function showValue(v: ParamValue | undefined): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'number' ? String(v) : v.length > 40 ? `${v.slice(0, 37)}…` : v;
}
