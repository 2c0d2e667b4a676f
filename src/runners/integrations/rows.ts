/** Query rows as JSON-safe values and as RFC 4180 CSV. */
import { csvFormatRow } from 'd3-dsv';

/** A database value as JSON: dates as ISO text, bytes as hex, bigints as numbers when exact. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
}

/**
 * CSV with a header row and CRLF line ends; fields with commas, quotes or newlines are quoted.
 * Written with d3-dsv, the library the site reads CSV previews with (src/site/format.ts), so
 * what one writes the other parses — multi-line fields included.
 */
export function toCsv(columns: string[], rows: unknown[][]): string {
  const field = (v: unknown): string => {
    const j = toJsonValue(v);
    return j === null ? '' : typeof j === 'object' ? JSON.stringify(j) : String(j);
  };
  const lines = [csvFormatRow(columns.map(field)), ...rows.map((r) => csvFormatRow(r.map(field)))];
  return `${lines.join('\r\n')}\r\n`;
}
