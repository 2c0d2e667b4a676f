/**
 * The runs table of a page or notebook: one row per entry, the parameters that vary between
 * entries (the others are kept for the column picker), every metric, and which entry is best
 * for each metric whose direction the notebook declares (`settings.metrics`). Pure data: the
 * Astro component and the charts (src/site/charts.ts) draw it.
 */
import { csvFormatRows } from 'd3-dsv';
import type { Entry } from '../core/model.ts';
import { flatten } from './format.ts';

/** What a runs table reads of an entry: the compiler's fields (a site entry has them too). */
export type RunSource = Pick<Entry, 'id' | 'slug' | 'title' | 'page_id' | 'status' | 'created' | 'execution' | 'type' | 'inputs' | 'metrics' | 'metadata'>;

/** Rows in the order the site lists entries (created, then file name, then id) — the same on both build threads. */
export function runOrder(a: RunSource, b: RunSource): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a.created ?? '', b.created ?? '') || cmp(a.slug, b.slug) || cmp(a.id, b.id);
}

type Direction = 'higher' | 'lower';

export interface ParamColumn {
  /** Dotted key into the entry's inputs: `parameters.cfg`. */
  key: string;
  /** Shown by default: the values differ between entries and are short enough for a cell. */
  shown: boolean;
  /** Values differ between entries. */
  varying: boolean;
  /** Every present value is a finite number. */
  numeric: boolean;
  /** Numeric, positive, and spanning two decades or more: charts use a log axis. */
  log: boolean;
}

interface MetricColumn {
  key: string;
  direction: Direction | null;
  /** Ids of the entries with the best value (ties share it); empty without a direction. */
  best: string[];
}

export interface RunRow {
  id: string;
  title: string;
  page_id: string;
  status: string;
  rating: number | null;
  date: string | null;
  type: string;
  params: Record<string, unknown>;
  metrics: Record<string, number | string | boolean | null>;
}

export interface Winner {
  metric: string;
  direction: Direction;
  best: RunRow;
  value: number;
  /** The next best entry with a different value (null when every entry ties or there is one). */
  runnerUp: { row: RunRow; value: number } | null;
}

export interface RunsTable {
  rows: RunRow[];
  params: ParamColumn[];
  metrics: MetricColumn[];
  winners: Winner[];
  /** The highest rating, when two or more entries are rated. */
  bestRating: number | null;
}

/** Input keys that say where or how something ran rather than what was tried. */
const NOT_PARAMETERS = /^(server|url|endpoint|connection|database|dsn|host|kernel|timeout|workflow|notebook|script|file|query|headers\.)/;
const SHORT = 40;

/** Builds the runs table of a set of entries (in the order given). */
export function runsTable(entries: RunSource[], directions: Record<string, string> = {}): RunsTable {
  const rows: RunRow[] = entries.map((e) => ({
    id: e.id,
    title: e.title,
    page_id: e.page_id,
    status: e.status,
    rating: e.metadata.rating ?? null,
    date: e.created ?? e.execution?.completed_at ?? null,
    type: e.type,
    params: Object.fromEntries(flatten(e.inputs).filter(([k]) => !NOT_PARAMETERS.test(k))),
    metrics: Object.fromEntries(flatten(e.metrics).map(([k, v]) => [k, scalar(v)])),
  }));

  const paramKeys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].sort();
  const params: ParamColumn[] = paramKeys.map((key) => {
    const values = rows.map((r) => r.params[key]).filter((v) => v !== undefined);
    const distinct = new Set(values.map((v) => JSON.stringify(v)));
    // Absent in some entries (a different kind of entry) is not variation.
    const varying = distinct.size > 1;
    // `LEVEL: "5"` in an environment block is a number written as text.
    const numeric = values.length > 0 && values.every((v) => asNumber(v) !== null);
    const nums = numeric ? values.map((v) => asNumber(v)!) : [];
    const log = numeric && nums.every((n) => n > 0) && Math.max(...nums) / Math.min(...nums) >= 100;
    const short = values.every((v) => (typeof v === 'string' ? v.length <= SHORT : JSON.stringify(v).length <= SHORT));
    return { key, varying, numeric, log, shown: varying && short };
  });

  const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort((a, b) => {
    // Metrics with a declared direction first: they are what the notebook says it optimises.
    const da = directions[a] ? 0 : 1;
    const db = directions[b] ? 0 : 1;
    return da - db || (a < b ? -1 : a > b ? 1 : 0);
  });
  const metrics: MetricColumn[] = [];
  const winners: Winner[] = [];
  for (const key of metricKeys) {
    const dir = directions[key] === 'higher' || directions[key] === 'lower' ? (directions[key] as Direction) : null;
    const scored = rows.filter((r) => typeof r.metrics[key] === 'number') as (RunRow & { metrics: Record<string, number> })[];
    if (!dir || scored.length === 0) {
      metrics.push({ key, direction: dir, best: [] });
      continue;
    }
    const better = (a: number, b: number) => (dir === 'higher' ? b - a : a - b);
    const sorted = [...scored].sort((a, b) => better(a.metrics[key]!, b.metrics[key]!));
    const top = sorted[0]!.metrics[key]!;
    const best = sorted.filter((r) => r.metrics[key] === top);
    const next = sorted.find((r) => r.metrics[key] !== top);
    metrics.push({ key, direction: dir, best: best.map((r) => r.id) });
    winners.push({ metric: key, direction: dir, best: best[0]!, value: top, runnerUp: next ? { row: next, value: next.metrics[key]! } : null });
  }
  // A rating is the scientist's own verdict: a winner when no metric says otherwise.
  const rated = rows.filter((r) => r.rating != null);
  if (rated.length > 1) {
    const sorted = [...rated].sort((a, b) => b.rating! - a.rating!);
    const top = sorted[0]!.rating!;
    const next = sorted.find((r) => r.rating !== top);
    winners.push({ metric: 'rating', direction: 'higher', best: sorted[0]!, value: top, runnerUp: next ? { row: next, value: next.rating! } : null });
  }
  return { rows, params, metrics, winners, bestRating: rated.length > 1 ? Math.max(...rated.map((r) => r.rating!)) : null };
}

/** A number, or a string that is exactly a decimal number; null otherwise. */
export function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v.trim())) return Number(v);
  return null;
}

function scalar(v: unknown): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** True when there is something to show: a metric, a rating, or a parameter that varies. */
export function hasRuns(table: RunsTable): boolean {
  return table.rows.length > 1 && (table.metrics.length > 0 || table.params.some((p) => p.varying) || table.rows.some((r) => r.rating != null));
}

/** The runs table as CSV (every parameter, not only the varying ones), through the site's one CSV library. */
export function runsCsv(table: RunsTable): string {
  const header = ['id', 'title', 'status', 'rating', 'date', 'type', ...table.params.map((p) => p.key), ...table.metrics.map((m) => m.key)];
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  const body = table.rows.map((r) =>
    [r.id, r.title, r.status, r.rating, r.date, r.type, ...table.params.map((p) => r.params[p.key]), ...table.metrics.map((m) => r.metrics[m.key])].map(cell),
  );
  return csvFormatRows([header, ...body]) + '\n';
}

/** `+12.5%` / `−0.031` style difference between the winner and the runner-up. */
export function winMargin(w: Winner): string | null {
  if (!w.runnerUp) return null;
  const d = Math.abs(w.value - w.runnerUp.value);
  const pct = w.runnerUp.value !== 0 ? ` (${((d / Math.abs(w.runnerUp.value)) * 100).toFixed(1)}%)` : '';
  return `${trim(d)}${pct}`;
}

function trim(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
