/**
 * Seeded permutation tests: how often a shuffle of the data is as extreme as
 * what was observed. Each test has its own random stream (see prng.ts `seedOf`),
 * and stops early once the answer is clearly "not significant".
 */
import { prng, shuffleInPlace } from './prng.ts';
import { centred, dot, ranks } from './stats.ts';

/**
 * Two-sided permutation p-value for Spearman's rho: the metric's ranks are
 * shuffled up to `permutations` times; p = (1 + #|rho*| ≥ |rho|) / (1 + permutations),
 * never 0. Sequential (Besag & Clifford 1991): once STOP_HITS shuffles have been
 * as extreme, p = STOP_HITS / shuffles so far — a clearly null effect costs a few
 * dozen shuffles instead of thousands, and the test stays valid.
 */
export function spearmanPermutationP(x: readonly number[], y: readonly number[], permutations: number, seed: number): number {
  const a = centred(ranks(x));
  const b = centred(ranks(y));
  if (!a.ss || !b.ss) return 1;
  const observed = Math.abs(dot(a.c, b.c));
  const shuffled = [...b.c];
  // A hair of tolerance so ties with the observed value (common with ranks) count as "as extreme".
  const bar = observed * (1 - 1e-12);
  return sequentialP(permutations, seed, (rand) => Math.abs(dot(a.c, shuffleInPlace(shuffled, rand))) >= bar);
}

/**
 * Spearman within strata, for grids: when other parameters vary too, a
 * parameter's effect can hide under theirs across entries (effort moves size
 * at every quality, but quality moves it more). Ranks are taken within each
 * stratum (entries that agree on every other parameter), the within-stratum
 * covariances summed, and the permutations shuffle the parameter only inside
 * its stratum. Returns the pooled within-stratum rho and its p-value.
 */
export function stratifiedSpearman(
  strata: readonly string[],
  x: readonly number[],
  y: readonly number[],
  permutations: number,
  seed: number,
): { rho: number; p: number } {
  const groups = new Map<string, number[]>();
  strata.forEach((s, i) => groups.set(s, [...(groups.get(s) ?? []), i]));
  const cx: number[][] = [];
  const cy: number[][] = [];
  let ssx = 0;
  let ssy = 0;
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const a = centred(ranks(idx.map((i) => x[i]!)));
    const b = centred(ranks(idx.map((i) => y[i]!)));
    if (!a.ss || !b.ss) continue;
    cx.push(a.c);
    cy.push(b.c);
    ssx += a.ss;
    ssy += b.ss;
  }
  if (!cx.length) return { rho: NaN, p: 1 };
  const statistic = (xs: number[][]) => xs.reduce((sum, c, g) => sum + dot(c, cy[g]!), 0);
  const observed = statistic(cx);
  const shuffled = cx.map((c) => [...c]);
  const bar = Math.abs(observed) * (1 - 1e-12);
  const p = sequentialP(permutations, seed, (rand) => {
    for (const c of shuffled) shuffleInPlace(c, rand);
    return Math.abs(statistic(shuffled)) >= bar;
  });
  return { rho: observed / Math.sqrt(ssx * ssy), p };
}

/** Shuffles that were as extreme as the observation before a permutation test stops early. */
export const STOP_HITS = 20;

function sequentialP(permutations: number, seed: number, extreme: (rand: () => number) => boolean): number {
  const rand = prng(seed);
  let hits = 0;
  for (let k = 1; k <= permutations; k++) {
    if (extreme(rand) && ++hits === STOP_HITS) return STOP_HITS / k;
  }
  return (1 + hits) / (1 + permutations);
}

/** Permutation p-value for the Kruskal–Wallis statistic (group labels shuffled), sequential as above. */
export function kruskalPermutationP(groups: readonly string[], y: readonly number[], permutations: number, seed: number): number {
  const { c, ss } = centred(ranks(y));
  if (!ss || new Set(groups).size < 2) return 1;
  // Labels as small integers: the shuffled statistic is then a few array reads per entry.
  const levels = [...new Set(groups)];
  const codes = groups.map((g) => levels.indexOf(g));
  const observed = betweenCoded(codes, c, levels.length);
  const shuffled = [...codes];
  const bar = observed * (1 - 1e-12);
  return sequentialP(permutations, seed, (rand) => betweenCoded(shuffleInPlace(shuffled, rand), c, levels.length) >= bar);
}

function betweenCoded(codes: readonly number[], c: readonly number[], k: number): number {
  const sums = new Float64Array(k);
  const counts = new Uint32Array(k);
  for (let i = 0; i < codes.length; i++) {
    sums[codes[i]!]! += c[i]!;
    counts[codes[i]!]!++;
  }
  let out = 0;
  for (let g = 0; g < k; g++) if (counts[g]) out += (sums[g]! * sums[g]!) / counts[g]!;
  return out;
}
