/**
 * Static pagination of the long lists of a page (its entries: timeline, grid and runs rows) and
 * of a notebook (its pages and runs rows). Part 1 is the view's own URL (`/pages/<id>/`); parts
 * 2… live under it (`/pages/<id>/2/`), rendered by `routes/pages/[id]/[part].astro` and
 * `routes/notebooks/[id]/[part].astro`. What each view lists, and its parts' URLs: src/site/view-parts.ts.
 */

/**
 * Entries per part of a page. Measured on a generated 1,250-entry page (npm run bench:bigpage): an
 * entry costs ≈ 0.8 KB in the timeline, ≈ 0.8 KB in the grid and ≈ 0.9 KB as a runs row, and a
 * later part has ≈ 12 KB of frame; at 50 a part is ≈ 130 KB of HTML (≈ 19 KB gzipped, ≈ 2,900
 * elements), at 100 it would be ≈ 250 KB, and the whole page on one file ≈ 3 MB (73,000 elements).
 * 50 keeps a later part under 150 KB and 3,000 elements while 1,250 entries make 25 parts; 25 a part
 * would halve both at twice the clicks.
 */
export const ENTRIES_PER_PART = 50;
/** Pages listed per part of a notebook: a list item is ≈ 0.3 KB (measured), so ≈ 65 KB of list. */
export const PAGES_PER_PART = 200;

/** One slice of a paginated list. */
export interface Part<T> {
  /** 1-based number of this part. */
  n: number;
  /** Number of parts (at least 1, also for an empty list). */
  count: number;
  /** The items of this part. */
  items: T[];
  /** Index in the whole list of the first item of this part. */
  from: number;
  /** Length of the whole list. */
  total: number;
}

/** Number of parts a list of `total` items needs at `size` per part (an empty list still has part 1). */
export function partCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** Part `n` (1-based) of `items`; past the end it is empty. */
export function partOf<T>(items: T[], n: number, size: number): Part<T> {
  const from = (n - 1) * size;
  return { n, count: partCount(items.length, size), items: items.slice(from, from + size), from, total: items.length };
}

/** URL of part `n` of the view at `first` (part 1's URL, ending in `/`). */
export function partHref(first: string, n: number): string {
  return n <= 1 ? first : `${first}${n}/`;
}

/**
 * The `params` of the parts 2… of each view, for `getStaticPaths` of a `[id]/[part].astro` route.
 * `count(view)` is the view's number of parts.
 */
export function laterParts<V extends { id: string }>(views: V[], count: (view: V) => number): { id: string; part: number; view: V }[] {
  const out: { id: string; part: number; view: V }[] = [];
  for (const view of views) for (let n = 2; n <= count(view); n++) out.push({ id: view.id, part: n, view });
  return out;
}

/** Parts of a notebook: its pages list and its runs rows (one row per entry) are cut in step. */
export function notebookPartCount(pages: number, rows: number): number {
  return Math.max(partCount(pages, PAGES_PER_PART), partCount(rows, ENTRIES_PER_PART));
}
