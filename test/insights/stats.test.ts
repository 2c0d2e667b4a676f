/** The statistics, checked against values worked out by hand or by their definitions. */
import { describe, expect, it } from 'vitest';
import { kruskalPermutationP, STOP_HITS, spearmanPermutationP } from '../../src/insights/permutation.ts';
import { prng } from '../../src/insights/prng.ts';
import { holm, originSlope, rankEtaSquared, ranks, spearman, spearmanInterval, theilSen } from '../../src/insights/stats.ts';

describe('insights statistics', () => {
  it('ranks ties by their average, and Spearman is Pearson on those ranks', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Textbook example: d² sum 4 over n = 5 → rho = 1 − 6·4 / (5·24) = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
    expect(Number.isNaN(spearman([1, 1, 1], [1, 2, 3]))).toBe(true);
  });

  it('permutation p-values: small for a perfect order, large for noise, never 0, reproducible by seed', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    expect(spearmanPermutationP(x, x, 999, 1)).toBe(0.001);
    const rand = prng(5);
    const noise = x.map(() => rand());
    const p = spearmanPermutationP(x, noise, 999, 1);
    expect(p).toBeGreaterThan(0.05);
    expect(spearmanPermutationP(x, noise, 999, 1)).toBe(p);
    // A clear null stops after STOP_HITS extreme shuffles (Besag–Clifford): p = 20 / shuffles drawn.
    const early = spearmanPermutationP(x, noise, 1_000_000, 1);
    expect(early).toBeGreaterThan(0.05);
    expect(Number.isInteger(STOP_HITS / early)).toBe(true);
    const groups = x.map((i) => (i < 6 ? 'a' : 'b'));
    expect(kruskalPermutationP(groups, x, 999, 2)).toBeLessThan(0.01);
    // Group mean ranks 3.5 and 9.5 around 6.5: between SS 6·9 + 6·9 = 108 of n(n² − 1)/12 = 143.
    expect(rankEtaSquared(groups, x)).toBeCloseTo(108 / 143, 12);
  });

  it('Holm: the smallest p times m, then step-down, monotone, capped at 1', () => {
    expect(holm([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
    expect(holm([0.2, 0.01])).toEqual([0.2, 0.02]);
  });

  it('intervals: Fisher z for rho, Sen for Theil–Sen, t for the paired slope', () => {
    const [lo, hi] = spearmanInterval(0.5, 30)!;
    expect(lo).toBeCloseTo(0.155, 2);
    expect(hi).toBeCloseTo(0.738, 2);
    expect(spearmanInterval(0.5, 3)).toBeNull();
    const rand = prng(9);
    const x = Array.from({ length: 1200 }, (_, i) => i % 37);
    const y = x.map((v) => 2 * v + (rand() - 0.5));
    const ts = theilSen(x, y)!; // 719,400 pairs: a stride of them is used
    expect(ts.slope).toBeCloseTo(2, 2);
    expect(ts.interval![0]).toBeLessThan(2);
    expect(ts.interval![1]).toBeGreaterThan(2);
    expect(theilSen([1, 1, 2], [1, 2, 3])).toBeNull();
    const paired = originSlope([1, -2, 3, 1.5], [0.03, -0.06, 0.1, 0.04]);
    expect(paired.slope).toBeCloseTo(0.0317, 3);
    expect(paired.interval![0]).toBeLessThan(paired.slope);
  });
});
