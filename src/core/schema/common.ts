import { z } from 'zod';

/** Ids are stable handles used in URLs, lineage and the CLI: no spaces, no slashes. */
export const idSchema = z
  .string({ error: 'must be a string id' })
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, { error: 'must be an id: letters, digits, `.`, `_` or `-`, no spaces' });

/** Tags are free text (quotes, colons, emoji, any script) but never empty. */
export const tagsSchema = z.array(z.string({ error: 'each tag must be a string' }).min(1, { error: 'tags cannot be empty' }), {
  error: 'must be a list of tags, e.g. [sunset, sdxl]',
});

/** True when `YYYY-MM-DD…` starts with a day that exists (no month 13, no February 30). */
function isCalendarDate(text: string): boolean {
  const [y = NaN, m = NaN, d = NaN] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A calendar date, `YYYY-MM-DD`, that exists. */
export const dateSchema = z
  .string({ error: 'must be a date like 2024-11-27' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date like 2024-11-27', abort: true })
  .refine(isCalendarDate, { error: 'is not a day of the calendar (month 01-12, day within the month)', abort: true });

/** A date or an ISO-8601 timestamp (`2024-11-27T10:30:00Z`). */
export const timestampSchema = z
  .string({ error: 'must be an ISO-8601 date or timestamp, e.g. 2024-11-27T10:30:00Z' })
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, {
    error: 'must be an ISO-8601 date or timestamp, e.g. 2024-11-27T10:30:00Z',
    abort: true,
  })
  .refine(isCalendarDate, { error: 'is not a day of the calendar (month 01-12, day within the month)', abort: true });

/** `sha256:<64 hex>` — the address of a blob or of an inputs hash. */
export const hashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'must be `sha256:` followed by 64 hex digits' });

/** A JSON object with arbitrary keys (inputs, outputs, metrics…). */
export const mapSchema = z.record(z.string(), z.unknown(), { error: 'must be a mapping (key: value pairs)' });

/** Converts a title to a folder/file slug: lowercase ASCII words, other scripts kept. */
export function slugify(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return s || 'untitled';
}
