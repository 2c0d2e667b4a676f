/**
 * The "Insights" section of page and notebook views: `lab insights` run at build
 * time over the entries the site already loaded (deterministic, offline — no
 * model prose on the site), plus the sweeps whose points are on the page.
 */

import type { Notebook } from '../core/model.ts';
import { analyzeEntries, type InsightsReport } from '../insights/analyze.ts';
import { goalsOf } from '../insights/features.ts';
import { existingHashes, InputsHasher } from '../insights/inputs-hashes.ts';
import { workspaceRoot } from './config.ts';
import type { SiteEntry } from './types.ts';

/** One sweep on the page: its points (variations carrying the sweep's tag) with their values and status. */
export interface SweepView {
  id: string;
  /** Keys that differ between the points. */
  keys: string[];
  points: { entry: SiteEntry; values: Record<string, string> }[];
}

export interface InsightsView {
  report: InsightsReport;
  /** Effects worth showing: the top one per metric and every significant one. */
  effects: InsightsReport['effects'];
  sweeps: SweepView[];
}

/** One hasher per journal load: every page and notebook view reuses the entries' hashes. */
const hashers = new WeakMap<readonly SiteEntry[], InputsHasher>();

/** Insights for the entries of a page or notebook; null when there is nothing to say (no metric, no rating). */
export async function insightsFor(
  scope: InsightsReport['scope'],
  entries: readonly SiteEntry[],
  all: readonly SiteEntry[],
  notebooks: readonly Pick<Notebook, 'id' | 'settings'>[] = [],
): Promise<InsightsView | null> {
  if (!entries.some((e) => Object.keys(e.metrics ?? {}).length || e.metadata.rating !== null)) return null;
  let hasher = hashers.get(all);
  if (!hasher) hashers.set(all, (hasher = new InputsHasher(workspaceRoot())));
  const taken = await existingHashes(hasher, entries, all);
  const ids = new Set(entries.map((e) => e.notebook_id));
  const goals = goalsOf(notebooks.filter((n) => ids.has(n.id)));
  const report = await analyzeEntries(scope, entries, { hasher, taken, goals, suggestions: 5 });
  const effects = report.effects.filter((e) => e.rank === 1 || e.significant);
  const byId = new Map(all.map((e) => [e.id, e]));
  return { report, effects, sweeps: sweepsOf(entries, (x) => byId.get(x)) };
}

/**
 * Sweeps whose points are among `entries`, found by their `sweep-…` tag (which `lab sweep`
 * writes along with `sweep:`); the columns are the keys a point changed from its original.
 */
export function sweepsOf(entries: readonly SiteEntry[], byId: (id: string) => SiteEntry | undefined): SweepView[] {
  const groups = new Map<string, SiteEntry[]>();
  for (const e of entries) for (const tag of e.metadata.tags) if (/^sweep-[\w.-]+$/.test(tag)) groups.set(tag, [...(groups.get(tag) ?? []), e]);
  return [...groups]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([id, points]) => {
      const flat = points.map((e) => flatten(e.inputs));
      const keys = new Set<string>();
      points.forEach((e, i) => {
        const origin = e.lineage.variation_of ? byId(e.lineage.variation_of) : undefined;
        const before = origin ? flatten(origin.inputs) : {};
        for (const [k, v] of Object.entries(flat[i]!)) if (before[k] !== v) keys.add(k);
      });
      const shown = [...keys].sort();
      const label = (k: string) => k.replace(/^parameters\./, '');
      return {
        id,
        keys: shown.map(label),
        points: points.map((entry, i) => ({ entry, values: Object.fromEntries(shown.map((k) => [label(k), flat[i]![k] ?? ''])) })),
      };
    });
}

function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

/** Splits text into plain parts and entry ids, so the component can link the ids. */
export function linkIds(text: string, known: ReadonlySet<string>): { text: string; id: string | null }[] {
  const out: { text: string; id: string | null }[] = [];
  let last = 0;
  for (const m of text.matchAll(/\bentry-[\p{L}\p{N}._-]*[\p{L}\p{N}]/gu)) {
    if (!known.has(m[0])) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index), id: null });
    out.push({ text: m[0], id: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), id: null });
  return out;
}
