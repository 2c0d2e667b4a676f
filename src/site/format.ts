/** Display helpers: dates, sizes, durations, parameter flattening and diffs. Pure functions. */
import { csvParseRows } from 'd3-dsv';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-11-27T10:30:00Z` → `27 Nov 2024, 10:30 UTC`; `2024-11-27` → `27 Nov 2024`. Deterministic (UTC). */
export function formatDate(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  let day = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  if (withTime && m[4]) {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) {
      const z = d.toISOString();
      day = `${Number(z.slice(8, 10))} ${MONTHS[Number(z.slice(5, 7)) - 1]} ${z.slice(0, 4)}, ${z.slice(11, 16)} UTC`;
    }
  }
  return day;
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A value as short display text: strings as is, everything else as JSON. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Nested objects as dotted keys (`parameters.seed`); arrays stay whole. Sorted by key. */
export function flatten(value: Record<string, unknown> | null | undefined, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export interface ParamRow {
  key: string;
  value: unknown;
  /** Present when a parent exists and this key's value differs there (`undefined` = absent in the parent). */
  was?: unknown;
  changed: boolean;
}

/** The entry's inputs as rows, each marked when it differs from the parent's. */
export function paramRows(inputs: Record<string, unknown>, parentInputs: Record<string, unknown> | null): ParamRow[] {
  const mine = flatten(inputs);
  const theirs = parentInputs ? new Map(flatten(parentInputs)) : null;
  return mine.map(([key, value]) => {
    if (!theirs) return { key, value, changed: false };
    const changed = !theirs.has(key) || JSON.stringify(theirs.get(key)) !== JSON.stringify(value);
    return { key, value, was: theirs.get(key), changed };
  });
}

/** `1.234` → `1.23`; integers unchanged. */
export function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Signed difference text and direction for a numeric metric; null when not comparable. */
export function delta(now: unknown, before: unknown): { text: string; sign: -1 | 0 | 1 } | null {
  if (typeof now !== 'number' || typeof before !== 'number') return null;
  const d = now - before;
  const pct = before !== 0 ? ` (${d >= 0 ? '+' : ''}${((d / Math.abs(before)) * 100).toFixed(1)}%)` : '';
  return { text: `${d >= 0 ? '+' : '−'}${num(Math.abs(d))}${pct}`, sign: d > 0 ? 1 : d < 0 ? -1 : 0 };
}

export function stars(rating: number | null | undefined): { on: string; off: string } | null {
  if (!rating) return null;
  return { on: '★'.repeat(rating), off: '★'.repeat(Math.max(0, 5 - rating)) };
}

/** `1 entry`, `2 entries`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Rows of CSV text (RFC 4180: quoted commas, doubled quotes, line breaks inside quotes), parsed
 * with d3-dsv — the same library the SQL integration writes `rows.csv` with. Blank lines are skipped.
 */
export function csvRows(text: string): string[][] {
  return csvParseRows(text).filter((row) => !(row.length === 1 && row[0] === ''));
}

const ABSOLUTE_PATH = /(^|[\s"'=(,[{])((?:\/(?:[\w.@+~-]+\/)+[\w.@+~-]*)|(?:[A-Za-z]:\\(?:[\w.@+~ -]+\\)*[\w.@+~-]*))/g;

/**
 * Text as the published site shows it: absolute paths inside the workspace become relative, and
 * absolute paths elsewhere (home folders, servers) keep only their last part — unless the journal
 * asks to show them (`publish.absolute_paths` in lab.config.yaml).
 */
export function publicText(text: string, root: string, showAbsolute = false): string {
  if (showAbsolute || (!text.includes('/') && !text.includes('\\'))) return text;
  const base = root.replace(/[\\/]+$/, '');
  return text.replace(ABSOLUTE_PATH, (_m, before: string, p: string) => {
    if (base && (p === base || p.startsWith(base + '/') || p.startsWith(base + '\\'))) return before + (p.slice(base.length + 1) || '.');
    const last = p.split(/[\\/]/).filter(Boolean).pop() ?? '';
    return `${before}…/${last}`;
  });
}

/** publicText() over every string in a value (inputs, outputs). */
export function publicValue<T>(value: T, root: string, showAbsolute = false): T {
  if (showAbsolute) return value;
  if (typeof value === 'string') return publicText(value, root) as T;
  if (Array.isArray(value)) return value.map((v) => publicValue(v, root)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, publicValue(v, root)])) as T;
  return value;
}

/** A non-empty array of plain objects (query rows): shown as a table rather than as JSON. */
export function asRecords(value: unknown): Record<string, unknown>[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  if (!value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) return null;
  return value as Record<string, unknown>[];
}
