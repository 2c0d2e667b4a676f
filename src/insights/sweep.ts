/**
 * `lab sweep`: one variation of a base entry per point, keyed by inputs hash.
 * A point whose inputs hash already exists — from this sweep run before, an
 * overlapping sweep, a hand-made variation, or a run recorded anywhere in the
 * journal — is reported, not created again. Creation happens under the sweep
 * lock with a fresh compile, so two sweeps started at once cannot both create
 * the same point.
 */
import path from 'node:path';
import { createVariationFile, variationInputs } from '../core/authoring.ts';
import { canonicalJson, sha256 } from '../core/hash.ts';
import type { EntryOwn } from '../core/model.ts';
import { slugify } from '../core/schema/common.ts';
import { openWorkspace } from '../sdk/journal.ts';
import { existingHashes, InputsHasher } from './inputs-hashes.ts';
import type { SweepParam } from './sweep-grammar.ts';
import { withSweepLock } from './sweep-lock.ts';
import { expandPoints, type SweepPoint } from './sweep-points.ts';

export interface SweepRequest {
  /** Workspace root (or any folder inside it). */
  root: string;
  /** The entry to vary: id or path (relative to `cwd`). */
  base: string;
  cwd?: string;
  params: SweepParam[];
  method: 'grid' | 'random';
  n?: number;
  seed?: number;
  /** A name for the sweep; the id is `sweep-<name>`. Default: derived from the base and the spec. */
  name?: string;
  /** Explicit points instead of expanding `params` (used by `lab insights --suggest`). */
  points?: SweepPoint[];
  /** List the points and what exists; write nothing. */
  dryRun?: boolean;
}

export interface SweepPointResult {
  /** Values by key, in the order given. */
  values: Record<string, unknown>;
  inputs_hash: string;
  /** created now, already existed, or (dry run) would be created. */
  outcome: 'created' | 'exists' | 'would-create';
  /** The entry holding this point (null for would-create). */
  entry: string | null;
  path: string | null;
  /** Its status when the sweep was made. */
  status: EntryOwn['status'] | null;
}

export interface SweepReport {
  sweep: string;
  base: string;
  page: string;
  method: 'grid' | 'random';
  seed: number | null;
  points: SweepPointResult[];
  created: number;
  existing: number;
}

export async function createSweep(req: SweepRequest): Promise<SweepReport> {
  const ws = await openWorkspace(req.root);
  const root = ws.root;
  const points = req.points ?? expandPoints(req.params, { method: req.method, n: req.n, seed: req.seed });
  const first = await ws.entry(req.base, req.cwd ?? root);
  const sweepId = req.name
    ? `sweep-${slugify(req.name)}`
    : `sweep-${sha256(
        canonicalJson({
          base: first.record.id,
          method: req.method,
          n: req.method === 'random' ? (req.n ?? 10) : null,
          seed: req.method === 'random' ? (req.seed ?? 0) : null,
          params: req.points ? points : req.params.map((p) => ({ key: p.key, domain: p.domain })),
        }),
      ).slice(7, 15)}`;

  const plan = async (write: boolean): Promise<SweepReport> => {
    // Compile again inside the lock: another sweep may have created points since this one started.
    const index = write ? (await ws.compile()).index : await ws.index();
    const base = index.entries.find((e) => e.id === first.record.id)!;
    const pageEntries = index.entries.filter((e) => e.page_id === base.page_id);
    const hasher = new InputsHasher(root);
    const taken = await existingHashes(hasher, pageEntries, index.entries);
    const byId = new Map(index.entries.map((e) => [e.id, e]));
    const results: SweepPointResult[] = [];
    for (const point of points) {
      const assignments = point.map((p) => ({ path: p.path, value: p.value }));
      const inputs = variationInputs(base, assignments);
      const hash = await hasher.hash(base.source.path, inputs);
      const values = Object.fromEntries(point.map((p) => [p.key, p.value]));
      const existing = taken.get(hash);
      if (existing) {
        const e = byId.get(existing);
        results.push({ values, inputs_hash: hash, outcome: 'exists', entry: existing, path: e?.source.path ?? null, status: e?.status ?? null });
        continue;
      }
      if (!write) {
        results.push({ values, inputs_hash: hash, outcome: 'would-create', entry: null, path: null, status: null });
        taken.set(hash, '(this sweep)');
        continue;
      }
      const title = `${point.map((p) => `${p.key}=${show(p.value)}`).join(' ')} (${sweepId})`;
      // The base's tags describe the points too, except the ones that single out the base itself.
      const tags = [...new Set([...base.metadata.tags.filter((t) => !SINGULAR_TAGS.test(t)), sweepId])];
      const { file, id } = await createVariationFile(root, index, base, { title, overrides: [], assignments, tags, sweep: sweepId });
      taken.set(hash, id);
      results.push({ values, inputs_hash: hash, outcome: 'created', entry: id, path: path.relative(root, file).split(path.sep).join('/'), status: 'created' });
    }
    if (write && results.some((r) => r.outcome === 'created')) await ws.compile();
    return {
      sweep: sweepId,
      base: base.id,
      page: base.page_id,
      method: req.method,
      seed: req.method === 'random' ? (req.seed ?? 0) : null,
      points: results,
      created: results.filter((r) => r.outcome === 'created').length,
      existing: results.filter((r) => r.outcome === 'exists').length,
    };
  };
  return req.dryRun ? plan(false) : withSweepLock(root, () => plan(true));
}

const SINGULAR_TAGS = /^(baseline|base|keeper|best|reference)$/i;

function show(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** The best point of a sweep by its metric (after a run), or null when no point has the metric yet. */
export async function bestPoint(
  root: string,
  report: SweepReport,
  metric: { name: string; goal: 'maximize' | 'minimize' },
): Promise<{ entry: string; value: number; values: Record<string, unknown> } | null> {
  const ws = await openWorkspace(root);
  const index = (await ws.compile()).index;
  let best: { entry: string; value: number; values: Record<string, unknown> } | null = null;
  for (const p of report.points) {
    const v = index.entries.find((e) => e.id === p.entry)?.metrics[metric.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (!best || (metric.goal === 'maximize' ? v > best.value : v < best.value)) best = { entry: p.entry!, value: v, values: p.values };
  }
  return best;
}

/** Entry files of a sweep's points, for running them. */
export function pointFiles(root: string, report: SweepReport): string[] {
  return [...new Set(report.points.filter((p) => p.path).map((p) => path.join(root, p.path!)))];
}
