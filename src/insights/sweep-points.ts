/**
 * The points of a sweep: every combination (grid, in the order the keys were
 * given, the last key changing fastest — as Hydra's basic sweeper does), or
 * `n` distinct draws from a seeded generator (random), reproducible by seed.
 */
import { UsageError } from '../core/diagnostics.ts';
import { canonicalJson } from '../core/hash.ts';
import { prng, seedOf } from './prng.ts';
import { round } from './stats.ts';
import type { SweepDomain, SweepParam } from './sweep-grammar.ts';

/** One point: a value per swept key, in key order. */
export type SweepPoint = { key: string; path: string[]; value: unknown }[];

export interface PointOptions {
  method: 'grid' | 'random';
  /** Random: how many points (default 10). */
  n?: number;
  /** Random: the generator's seed (default 0). */
  seed?: number;
}

/** Points a grid may have before it is refused as a likely mistake. */
const MAX_POINTS = 10_000;

export function expandPoints(params: readonly SweepParam[], o: PointOptions): SweepPoint[] {
  if (!params.length) throw new UsageError('nothing to sweep: give at least one -S key=values (or parameters in --config)');
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.key)) throw new UsageError(`'${p.key}' is swept twice`);
    seen.add(p.key);
  }
  return o.method === 'grid' ? grid(params) : random(params, o.n ?? 10, o.seed ?? 0);
}

function grid(params: readonly SweepParam[]): SweepPoint[] {
  const lists = params.map((p) => ({ p, values: finiteValues(p) }));
  const total = lists.reduce((n, l) => n * l.values.length, 1);
  if (total > MAX_POINTS) throw new UsageError(`the grid has ${total} points (more than ${MAX_POINTS}); narrow it or use --method random --n N`);
  let points: SweepPoint[] = [[]];
  for (const { p, values } of lists) points = points.flatMap((pt) => values.map((value) => [...pt, { key: p.key, path: p.path, value }]));
  return dedupe(points);
}

function finiteValues(p: SweepParam): unknown[] {
  const d = p.domain;
  if (d.kind === 'value') return [d.value];
  if (d.kind === 'choice' || d.kind === 'range') return d.values;
  if (d.integer && !d.log && d.q === null) {
    const out: number[] = [];
    for (let v = Math.ceil(d.low); v <= Math.floor(d.high); v++) out.push(v);
    return out;
  }
  throw new UsageError(`'${p.key}' is an interval, which a grid cannot enumerate; use range(…) or --method random`);
}

function random(params: readonly SweepParam[], n: number, seed: number): SweepPoint[] {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--n must be a whole number of at least 1, got ${n}`);
  // One stream per key, so adding a key does not change the values drawn for the others.
  const streams = params.map((p) => prng(seedOf(seed, p.key)));
  const out: SweepPoint[] = [];
  const seen = new Set<string>();
  // Draws that repeat an earlier point are skipped; a small finite space simply yields fewer points.
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const point = params.map((p, i) => ({ key: p.key, path: p.path, value: draw(p.domain, streams[i]!) }));
    const k = canonicalJson(point.map((x) => x.value));
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(point);
  }
  return out;
}

function draw(d: SweepDomain, rand: () => number): unknown {
  if (d.kind === 'value') return d.value;
  if (d.kind === 'choice' || d.kind === 'range') return d.values[Math.floor(rand() * d.values.length)];
  const u = rand();
  // Integers: min and max both possible, as W&B's int_uniform.
  if (d.integer && !d.log && d.q === null) return Math.min(Math.floor(d.low + u * (d.high - d.low + 1)), d.high);
  let v = d.log ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
  if (d.q) v = Math.round(v / d.q) * d.q;
  if (d.integer) return Math.min(Math.floor(v), Math.floor(d.high));
  return round(v, 4);
}

function dedupe(points: SweepPoint[]): SweepPoint[] {
  const seen = new Set<string>();
  return points.filter((pt) => {
    const k = canonicalJson(pt.map((x) => x.value));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
