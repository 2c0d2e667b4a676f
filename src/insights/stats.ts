/**
 * The small statistics insights needs, written out so every number is
 * reproducible: ranks with ties, Spearman's rho, the Kruskal–Wallis effect on
 * ranks, Holm's correction and a few intervals (the permutation tests are in
 * permutation.ts).
 * A journal page holds tens of entries, so exact O(n²) methods are fine.
 */

/** Ranks 1..n, ties given their average rank. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]![1]] = avg;
    i = j + 1;
  }
  return out;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : NaN;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Sample standard deviation (n − 1). */
function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Values minus their mean, and their sum of squares (for fast repeated correlations). */
export function centred(xs: readonly number[]): { c: number[]; ss: number } {
  const m = mean(xs);
  const c = xs.map((x) => x - m);
  return { c, ss: c.reduce((s, v) => s + v * v, 0) };
}

/** Spearman's rho (Pearson on average ranks); NaN when either side is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const a = centred(ranks(x));
  const b = centred(ranks(y));
  if (!a.ss || !b.ss) return NaN;
  let dot = 0;
  for (let i = 0; i < a.c.length; i++) dot += a.c[i]! * b.c[i]!;
  return dot / Math.sqrt(a.ss * b.ss);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * The Kruskal–Wallis effect for a categorical parameter: eta² on ranks, the
 * share of the metric's rank variance explained by the groups (H / (n − 1)).
 */
export function rankEtaSquared(groups: readonly string[], y: readonly number[]): number {
  const { c, ss } = centred(ranks(y));
  if (!ss) return NaN;
  return betweenSS(groups, c) / ss;
}

function betweenSS(groups: readonly string[], c: readonly number[]): number {
  const sums = new Map<string, [number, number]>();
  for (let i = 0; i < groups.length; i++) {
    const s = sums.get(groups[i]!) ?? [0, 0];
    s[0] += c[i]!;
    s[1]++;
    sums.set(groups[i]!, s);
  }
  let out = 0;
  for (const [sum, n] of sums.values()) out += (sum * sum) / n;
  return out;
}

/** Holm's step-down adjustment: controls the chance of any false effect in the report at alpha. */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (ps.length - k) * p));
    out[i] = running;
  });
  return out;
}

/**
 * 95% interval of Spearman's rho by Fisher's z with the Fieller–Hartley–Pearson
 * variance 1.06 / (n − 3); null below 4 points.
 */
export function spearmanInterval(rho: number, n: number): [number, number] | null {
  if (n < 4 || !Number.isFinite(rho)) return null;
  const r = Math.max(-0.999999, Math.min(0.999999, rho));
  const z = Math.atanh(r);
  const half = 1.959964 * Math.sqrt(1.06 / (n - 3));
  return [Math.tanh(z - half), Math.tanh(z + half)];
}

/**
 * Theil–Sen slope (median of pairwise slopes) with Sen's 95% interval from
 * Kendall's S variance: the size of a numeric effect in the metric's units,
 * robust to an outlier run. Null with fewer than 3 distinct parameter values.
 */
export function theilSen(x: readonly number[], y: readonly number[]): { slope: number; interval: [number, number] | null } | null {
  if (new Set(x).size < 3) return null;
  const n = x.length;
  // A notebook can hold thousands of entries: past MAX_PAIRS, every stride-th partner of each entry is used (deterministic).
  const total = (n * (n - 1)) / 2;
  const stride = Math.max(1, Math.ceil(total / MAX_PAIRS));
  const buffer = new Float64Array(Math.ceil(total / stride) + n);
  let N = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1 + (i % stride); j < n; j += stride) if (x[i] !== x[j]) buffer[N++] = (y[j]! - y[i]!) / (x[j]! - x[i]!);
  }
  if (!N) return null;
  const slopes = buffer.subarray(0, N).sort();
  // Sen's ranks, computed for all pairs and scaled to the ones kept.
  const c = 1.959964 * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const all = N * stride;
  const lo = Math.round((all - c) / 2 / stride);
  const hi = Math.round(((all + c) / 2 + 1) / stride);
  const interval: [number, number] | null = lo >= 1 && hi <= N ? [slopes[lo - 1]!, slopes[hi - 1]!] : null;
  const mid = N >> 1;
  return { slope: N % 2 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2, interval };
}

const MAX_PAIRS = 20_000;

/** Two-sided 97.5% Student t quantiles for df 1..30 (then the normal 1.96). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean with a 95% t-interval (null interval below 2 values). */
export function meanInterval(xs: readonly number[]): { mean: number; interval: [number, number] | null } {
  const m = mean(xs);
  if (xs.length < 2) return { mean: m, interval: null };
  const t = T975[xs.length - 2] ?? 1.959964;
  const half = (t * sd(xs)) / Math.sqrt(xs.length);
  return { mean: m, interval: [m - half, m + half] };
}

/**
 * Least-squares slope through the origin of paired changes (Δmetric on Δparameter)
 * with a 95% t-interval: big controlled steps weigh more than small ones, whose
 * per-unit ratio is mostly noise.
 */
export function originSlope(dx: readonly number[], dy: readonly number[]): { slope: number; interval: [number, number] | null } {
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < dx.length; i++) {
    sxx += dx[i]! * dx[i]!;
    sxy += dx[i]! * dy[i]!;
  }
  const slope = sxy / sxx;
  if (dx.length < 2) return { slope, interval: null };
  let rss = 0;
  for (let i = 0; i < dx.length; i++) rss += (dy[i]! - slope * dx[i]!) ** 2;
  const se = Math.sqrt(rss / (dx.length - 1) / sxx);
  const half = (T975[dx.length - 2] ?? 1.959964) * se;
  return { slope, interval: [slope - half, slope + half] };
}

/** Rounds to `digits` significant digits: output stays readable and byte-stable across platforms. */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}
