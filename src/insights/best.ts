/** The best entry for each metric, and its margin over the runner-up. */
import { goalOf, showValue } from './features.ts';
import type { Sample } from './samples.ts';
import { round } from './stats.ts';

export interface Best {
  metric: string;
  goal: 'maximize' | 'minimize';
  entry: string;
  value: number;
  /** The next-best entry and how far behind it is (always ≥ 0); null when only one entry has the metric. */
  runner_up: { entry: string; value: number; margin: number } | null;
  /** Parameters of the best entry that vary on the page, as display text. */
  settings: Record<string, string>;
  /** Entries with the metric. */
  n: number;
}

export function bestPerMetric(samples: readonly Sample[], varying: ReadonlySet<string>, goals: Record<string, 'maximize' | 'minimize'> = {}): Best[] {
  const metrics = new Set<string>();
  for (const s of samples) for (const m of s.outcomes.keys()) metrics.add(m);
  const out: Best[] = [];
  for (const metric of [...metrics].sort()) {
    const goal = goalOf(metric, goals);
    const sign = goal === 'maximize' ? -1 : 1;
    // Best first; ties go to the smaller id so the answer never depends on file order.
    const rows = samples
      .filter((s) => s.outcomes.has(metric))
      .sort((a, b) => sign * (a.outcomes.get(metric)! - b.outcomes.get(metric)!) || (a.id < b.id ? -1 : 1));
    const [first, second] = rows;
    const value = first!.outcomes.get(metric)!;
    const settings: Record<string, string> = {};
    for (const name of [...varying].sort()) if (first!.params.values.has(name)) settings[name] = showValue(first!.params.values.get(name));
    out.push({
      metric,
      goal,
      entry: first!.id,
      value: round(value, 6),
      n: rows.length,
      settings,
      runner_up: second
        ? { entry: second.id, value: round(second.outcomes.get(metric)!, 6), margin: round(Math.abs(value - second.outcomes.get(metric)!)) }
        : null,
    });
  }
  return out;
}

/** Parameters with at least two values among the samples that set them. */
export function varyingParams(samples: readonly Sample[]): Set<string> {
  const seen = new Map<string, Set<string>>();
  for (const s of samples) {
    for (const [k, v] of s.params.values) {
      const set = seen.get(k) ?? new Set<string>();
      set.add(String(v));
      seen.set(k, set);
    }
  }
  return new Set([...seen].filter(([, vs]) => vs.size > 1).map(([k]) => k));
}
