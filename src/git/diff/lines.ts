/**
 * Line-level difference of two short texts (narrative sections): the lines
 * only in `b` (added) and only in `a` (removed), in order, via an LCS table.
 */

/** Past this many cells the LCS table is too big; fall back to a multiset difference. */
const MAX_CELLS = 4_000_000;

export function lineDiff(a: string, b: string): { added: string[]; removed: string[] } {
  const x = splitLines(a);
  const y = splitLines(b);
  // Common head and tail are cheap to strip and usually most of a section.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const xs = x.slice(start, endX);
  const ys = y.slice(start, endY);
  if (!xs.length || !ys.length) return { added: ys, removed: xs };
  if (xs.length * ys.length > MAX_CELLS) return multisetDiff(xs, ys);
  const n = xs.length;
  const m = ys.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = xs[i] === ys[j] ? table[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  const added: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (xs[i] === ys[j]) {
      i++;
      j++;
    } else if (table[(i + 1) * (m + 1) + j]! >= table[i * (m + 1) + j + 1]!) removed.push(xs[i++]!);
    else added.push(ys[j++]!);
  }
  while (i < n) removed.push(xs[i++]!);
  while (j < m) added.push(ys[j++]!);
  return { added, removed };
}

function splitLines(text: string): string[] {
  return text
    ? text
        .replace(/\r\n/g, '\n')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];
}

function multisetDiff(xs: string[], ys: string[]): { added: string[]; removed: string[] } {
  const count = new Map<string, number>();
  for (const l of xs) count.set(l, (count.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of ys) {
    const c = count.get(l) ?? 0;
    if (c > 0) count.set(l, c - 1);
    else added.push(l);
  }
  const left = new Map<string, number>();
  for (const l of ys) left.set(l, (left.get(l) ?? 0) + 1);
  const removed: string[] = [];
  for (const l of xs) {
    const c = left.get(l) ?? 0;
    if (c > 0) left.set(l, c - 1);
    else removed.push(l);
  }
  return { added, removed };
}
