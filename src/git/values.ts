/**
 * Small value helpers shared by the diff and the history: nested keys as dotted
 * paths, structural equality, numeric deltas, and short human formatting.
 */
import { canonicalJson } from '../core/hash.ts';

/** Which direction of a number is better. */
export type Direction = 'higher' | 'lower';

/**
 * Flattens nested plain objects to dotted keys (`{a: {b: 1}}` → `a.b`). Arrays
 * and scalars are leaves; an empty object is kept as a leaf so it can be seen.
 */
export function flatten(value: Record<string, unknown> | null | undefined, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (!value) return out;
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    const p = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(v) && Object.keys(v).length) flatten(v, p, out);
    else out.set(p, v);
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality (key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Removes float noise (0.1 + 0.2) without hiding real precision. */
function roundNoise(n: number): number {
  return Number(n.toPrecision(12));
}

/** `new - old` and `(new - old) / |old|`; relative is null when old is 0. */
export function numericDelta(oldValue: number, newValue: number): { delta: number; relative: number | null } {
  const delta = roundNoise(newValue - oldValue);
  return { delta, relative: oldValue === 0 ? null : roundNoise(delta / Math.abs(oldValue)) };
}

/** better / worse / same given a direction; null when the direction is unknown. */
export function verdictOf(delta: number, direction: Direction | null): 'better' | 'worse' | 'same' | null {
  if (!direction) return null;
  if (delta === 0) return 'same';
  return delta > 0 === (direction === 'higher') ? 'better' : 'worse';
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A value as a short one-line string for people: strings unquoted unless ambiguous, long ones cut. */
export function formatValue(v: unknown, max = 60): string {
  let s: string;
  if (v === undefined) return '∅';
  if (typeof v === 'string' && v.trim().includes('\n'))
    s = v.trim(); // multi-line text: shown on one line below
  else if (typeof v === 'string') s = v === '' || /^\s|\s$|^(true|false|null|-?\d[\d.e+-]*)$/.test(v) ? JSON.stringify(v) : v;
  else if (typeof v === 'number') s = formatNumber(v);
  else s = JSON.stringify(v) ?? String(v);
  s = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A number without float noise, at most 6 significant decimals. */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}

/** `+0.7`, `−3`: explicit sign, typographic minus. */
export function formatSigned(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '±0';
}

/** `+11.5%` from a ratio. */
export function formatPercent(ratio: number): string {
  const pct = Math.abs(ratio) >= 10 ? Math.round(ratio * 100) : Number((ratio * 100).toPrecision(3));
  return `${formatSigned(pct)}%`;
}

/** Seconds as `850 ms`, `12.4 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Number(seconds.toPrecision(3))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line of text, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const s = text.replace(/\s*\n\s*/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
