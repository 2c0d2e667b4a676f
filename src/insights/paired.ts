/**
 * Paired deltas along lineage edges: when a variation (or child) differs from
 * its original in exactly one parameter, the change in each metric is that
 * parameter's doing, everything else held fixed — the journal's own controlled
 * experiment, which a table of independent runs does not have.
 */
import type { ParamValue } from './features.ts';
import type { Sample } from './samples.ts';

/** One controlled comparison: `from` → `to`, only `parameter` changed. */
export interface PairedDelta {
  parameter: string;
  metric: string;
  from_entry: string;
  to_entry: string;
  from: ParamValue | null;
  to: ParamValue | null;
  /** Metric of `to` minus metric of `from`. */
  delta: number;
  /** `delta` per unit of parameter change (numeric parameters only). */
  per_unit: number | null;
}

/** Every single-parameter edge among the samples, in a stable order (by child id, then metric). */
export function pairedDeltas(samples: readonly Sample[]): PairedDelta[] {
  const byId = new Map(samples.map((s) => [s.id, s]));
  const out: PairedDelta[] = [];
  for (const child of [...samples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const origins = [...new Set([child.variation_of, child.parent_id].filter((x): x is string => !!x))];
    for (const originId of origins) {
      const origin = byId.get(originId);
      if (!origin) continue;
      const changed = changedParams(origin, child);
      if (changed.length !== 1) continue;
      const name = changed[0]!;
      const from = origin.params.values.get(name) ?? null;
      const to = child.params.values.get(name) ?? null;
      const metrics = [...child.outcomes.keys()].filter((m) => origin.outcomes.has(m)).sort();
      for (const metric of metrics) {
        const delta = child.outcomes.get(metric)! - origin.outcomes.get(metric)!;
        const perUnit = typeof from === 'number' && typeof to === 'number' && to !== from ? delta / (to - from) : null;
        out.push({ parameter: name, metric, from_entry: origin.id, to_entry: child.id, from, to, delta, per_unit: perUnit });
      }
    }
  }
  return out;
}

/** Parameter names whose values differ (a key present on one side only counts). */
function changedParams(a: Sample, b: Sample): string[] {
  const names = new Set([...a.params.values.keys(), ...b.params.values.keys()]);
  return [...names].filter((n) => a.params.values.get(n) !== b.params.values.get(n)).sort();
}
