/**
 * Each parameter's effect on each metric: a rank statistic across entries
 * (Spearman's rho for numbers, Kruskal–Wallis for labels) with a seeded
 * permutation p-value, Holm-corrected over every test in the report, plus the
 * paired deltas from single-parameter variation edges.
 */
import { goalOf, type ParamValue, showValue } from './features.ts';
import type { PairedDelta } from './paired.ts';
import { kruskalPermutationP, spearmanPermutationP, stratifiedSpearman } from './permutation.ts';
import { seedOf } from './prng.ts';
import type { Sample } from './samples.ts';
import { holm, meanInterval, median, originSlope, rankEtaSquared, round, spearman, spearmanInterval, theilSen } from './stats.ts';

/** One parameter's effect on one metric. */
export interface Effect {
  metric: string;
  parameter: string;
  /** 1 = the parameter that matters most for this metric. */
  rank: number;
  /** 0..1: |rho| for numbers, the bias-corrected rank effect size (sqrt of epsilon²) for labels. */
  importance: number;
  /** `increases` / `decreases`: the metric moves with / against the parameter; `categorical` for labels. */
  direction: 'increases' | 'decreases' | 'categorical' | 'none';
  /** Entries with both the metric and the parameter. */
  n: number;
  /** Which rank statistic was used, its value across entries, and (grids) the pooled rho within strata of the other parameters. */
  statistic: { name: 'spearman' | 'kruskal-wallis'; value: number; within: number | null };
  /**
   * What `p` tests: `across entries` (the parameter's ranks against the metric's), or
   * `within strata` — for grids, where most entries share every other parameter with
   * another entry, the parameter is permuted only among entries that agree on all the
   * others, so an effect hidden under a stronger parameter still shows.
   */
  test: 'across entries' | 'within strata';
  /** 95% interval of rho (numbers); null for labels or below 4 entries. */
  interval: [number, number] | null;
  /** Metric units per parameter unit (Theil–Sen) with its 95% interval; numbers with ≥ 3 distinct values only. */
  slope: { value: number; interval: [number, number] | null } | null;
  /** Labels: the level with the best median, and that median. */
  best_level: { value: string; median: number; n: number } | null;
  /** Single-parameter variation edges: for numbers the change per unit (least squares through the origin), for labels the mean change; 95% t-interval. */
  paired: { n: number; mean: number; per_unit: boolean; interval: [number, number] | null; edges: string[] } | null;
  /** Permutation p-value, then Holm-adjusted over every test in the report. */
  p: number;
  p_adjusted: number;
  /** p_adjusted < alpha. */
  significant: boolean;
}

export interface EffectOptions {
  /** Seed of the permutation streams (default 0). */
  seed?: number;
  /** Family-wise error rate (default 0.05). */
  alpha?: number;
  /** Only these metrics (default: every metric seen). */
  metrics?: string[];
  /** Metric goals from a sweep config; otherwise guessed from the name. */
  goals?: Record<string, 'maximize' | 'minimize'>;
  /** Upper bound on permutations per test (default 20000); the site lowers it to keep builds fast. */
  maxPermutations?: number;
}

/** Element operations the permutation tests of one report may spend (well under a second). */
const PERMUTATION_BUDGET = 15_000_000;

/** The smallest sample a rank test is run on. */
const MIN_N = 4;

interface Test {
  metric: string;
  parameter: string;
  xs: ParamValue[];
  ys: number[];
  ids: string[];
  /** Per row, the values of the other varying parameters (its stratum). */
  strata: string[];
}

export function computeEffects(samples: readonly Sample[], paired: readonly PairedDelta[], options: EffectOptions = {}): Effect[] {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const tests = collectTests(samples, options.metrics);
  // Enough permutations that the smallest possible p survives Holm's correction over all tests.
  // A big notebook (thousands of entries × many tests) gets fewer draws, down to 499: the cost stays bounded
  // and the choice depends only on the journal, so the CLI and the site print the same p-values.
  const work = tests.reduce((s, t) => s + t.xs.length, 0);
  const wanted = Math.min(options.maxPermutations ?? 20000, Math.max(1999, Math.ceil((20 * tests.length) / alpha)));
  const permutations = Math.max(499, Math.min(wanted, Math.floor(PERMUTATION_BUDGET / Math.max(1, work))));
  const raw = tests.map((t) => analyse(t, permutations, seed, options.goals ?? {}));
  const adjusted = holm(raw.map((r) => r.p));
  const effects: Effect[] = raw.map((r, i) => {
    const pairs = paired.filter((d) => d.metric === r.metric && d.parameter === r.parameter);
    // Spelled out so the JSON keys come in reading order.
    return {
      metric: r.metric,
      parameter: r.parameter,
      rank: 0,
      importance: r.importance,
      direction: r.direction,
      n: r.n,
      statistic: r.statistic,
      test: r.test,
      interval: r.interval,
      slope: r.slope,
      best_level: r.best_level,
      paired: summarisePairs(pairs),
      p: round(r.p),
      p_adjusted: round(adjusted[i]!),
      significant: adjusted[i]! < alpha,
    };
  });
  effects.sort((a, b) => cmp(a.metric, b.metric) || b.importance - a.importance || cmp(a.parameter, b.parameter));
  let last = '';
  let rank = 0;
  for (const e of effects) {
    rank = e.metric === last ? rank + 1 : 1;
    last = e.metric;
    e.rank = rank;
  }
  return effects;
}

function collectTests(samples: readonly Sample[], only?: string[]): Test[] {
  const metrics = new Set<string>();
  for (const s of samples) for (const m of s.outcomes.keys()) metrics.add(m);
  const tests: Test[] = [];
  for (const metric of [...metrics].sort()) {
    if (only?.length && !only.includes(metric)) continue;
    const withMetric = samples.filter((s) => s.outcomes.has(metric));
    const params = new Set<string>();
    for (const s of withMetric) for (const p of s.params.values.keys()) params.add(p);
    for (const parameter of [...params].sort()) {
      const rows = withMetric.filter((s) => s.params.values.has(parameter));
      if (rows.length < MIN_N) continue;
      const xs = rows.map((s) => s.params.values.get(parameter)!);
      const levels = new Set(xs.map(String)).size;
      if (levels < 2) continue;
      // A label unique to nearly every entry (a free-text prompt per run) cannot be told apart from noise.
      if (!xs.every((x) => typeof x === 'number') && levels > rows.length / 2) continue;
      const others = [...params].filter((o) => o !== parameter && new Set(rows.map((s) => String(s.params.values.get(o)))).size > 1).sort();
      const strata = rows.map((s) => JSON.stringify(others.map((o) => s.params.values.get(o) ?? null)));
      tests.push({ metric, parameter, xs, ys: rows.map((s) => s.outcomes.get(metric)!), ids: rows.map((s) => s.id), strata });
    }
  }
  return tests;
}

type Raw = Omit<Effect, 'paired' | 'p_adjusted' | 'significant' | 'rank'>;

function analyse(t: Test, permutations: number, seed: number, goals: Record<string, 'maximize' | 'minimize'>): Raw {
  const n = t.xs.length;
  const streamSeed = seedOf(seed, t.metric, t.parameter);
  if (t.xs.every((x) => typeof x === 'number')) {
    const xs = t.xs as number[];
    const rho = spearman(xs, t.ys);
    let p = Number.isFinite(rho) ? spearmanPermutationP(xs, t.ys, permutations, streamSeed) : 1;
    let test: Effect['test'] = 'across entries';
    let within: number | null = null;
    if (isGrid(t)) {
      const stratified = stratifiedSpearman(t.strata, xs, t.ys, permutations, streamSeed);
      if (Number.isFinite(stratified.rho)) {
        test = 'within strata';
        within = round(stratified.rho);
        p = stratified.p;
      }
    }
    const ts = theilSen(xs, t.ys);
    const interval = spearmanInterval(rho, n);
    return {
      metric: t.metric,
      parameter: t.parameter,
      importance: Number.isFinite(rho) ? round(Math.abs(rho)) : 0,
      direction: directionOf(within ?? rho),
      n,
      statistic: { name: 'spearman', value: Number.isFinite(rho) ? round(rho) : 0, within },
      test,
      interval: interval && [round(interval[0]), round(interval[1])],
      slope: ts && { value: round(ts.slope), interval: ts.interval && [round(ts.interval[0]), round(ts.interval[1])] },
      best_level: null,
      p,
    };
  }
  const groups = t.xs.map(String);
  const eta2 = rankEtaSquared(groups, t.ys);
  const k = new Set(groups).size;
  // epsilon² corrects eta²'s upward bias with many levels (H's null mean is k − 1).
  const h = (n - 1) * (Number.isFinite(eta2) ? eta2 : 0);
  const eps2 = n > k ? Math.max(0, (h - k + 1) / (n - k)) : 0;
  const p = Number.isFinite(eta2) ? kruskalPermutationP(groups, t.ys, permutations, streamSeed) : 1;
  return {
    metric: t.metric,
    parameter: t.parameter,
    importance: round(Math.sqrt(eps2)),
    direction: 'categorical',
    n,
    statistic: { name: 'kruskal-wallis', value: round(h), within: null },
    test: 'across entries',
    interval: null,
    slope: null,
    best_level: bestLevel(groups, t.ys, goalOf(t.metric, goals)),
    p,
  };
}

/**
 * A grid (or a good part of one): at least half the entries sit in strata that
 * show two or more values of the parameter, three entries per stratum on average.
 * Otherwise (every run has its own seed, say) strata say little and the test
 * runs across entries. The choice depends on the design only, never on results.
 */
function directionOf(rho: number): Effect['direction'] {
  return !Number.isFinite(rho) || rho === 0 ? 'none' : rho > 0 ? 'increases' : 'decreases';
}

function isGrid(t: Test): boolean {
  if (!t.strata.length || t.strata.every((s) => s === '[]')) return false;
  const values = new Map<string, Set<string>>();
  t.strata.forEach((s, i) => values.set(s, (values.get(s) ?? new Set()).add(String(t.xs[i]))));
  const coveredStrata = [...values].filter(([, v]) => v.size > 1).map(([s]) => s);
  const covered = t.strata.filter((s) => values.get(s)!.size > 1).length;
  // Pairs here and there (a variation that kept its origin's seed) are not a grid: within them the
  // test would throw away most of the data. A grid has strata of three or more on average.
  return covered * 2 >= t.strata.length && covered >= 3 * coveredStrata.length;
}

function bestLevel(groups: string[], ys: number[], goal: 'maximize' | 'minimize'): Effect['best_level'] {
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => by.set(g, [...(by.get(g) ?? []), ys[i]!]));
  let best: Effect['best_level'] = null;
  for (const [value, vs] of [...by.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    const m = median(vs);
    if (!best || (goal === 'maximize' ? m > best.median : m < best.median)) best = { value: showValue(value), median: round(m), n: vs.length };
  }
  return best;
}

function summarisePairs(pairs: readonly PairedDelta[]): Effect['paired'] {
  if (!pairs.length) return null;
  const perUnit = pairs.every((d) => d.per_unit !== null);
  const { mean, interval } = perUnit
    ? (({ slope, interval: i }) => ({ mean: slope, interval: i }))(
        originSlope(
          pairs.map((d) => (d.to as number) - (d.from as number)),
          pairs.map((d) => d.delta),
        ),
      )
    : meanInterval(pairs.map((d) => d.delta));
  return {
    n: pairs.length,
    mean: round(mean),
    per_unit: perUnit,
    interval: interval && [round(interval[0]), round(interval[1])],
    edges: pairs.map((d) => `${d.from_entry}→${d.to_entry}`),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
