import { UsageError } from '../core/diagnostics.ts';

/** Parses `90`, `90s`, `10m`, `1h30m`, `500ms` into milliseconds; a bare number means seconds. */
export function parseDuration(text: string | number, what = 'timeout'): number {
  if (typeof text === 'number') {
    if (!(text > 0)) throw new UsageError(`${what} must be a positive duration, got ${text}`);
    return text * 1000;
  }
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return parseDuration(Number(s), what);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length || total <= 0) throw new UsageError(`${what} must be a duration like 30s, 10m or 1h30m, got '${text}'`);
  return total;
}

/** `1m05s`-style text for a number of milliseconds. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return m < 60 ? `${m}m${String(rest).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
