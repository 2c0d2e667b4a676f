/**
 * `npm run bench:bigpage`: how big the HTML of one long page is, part by part
 * (src/site/paginate.ts). Generates a journal with one page of `--entries` entries (or reads a
 * built `--dist` with `--page`), builds it, and prints each part's bytes, gzipped bytes and element
 * count, what one entry costs in the timeline, the grid and the runs table, and what a part would
 * weigh at other ENTRIES_PER_PART, against the whole page on one HTML file (the baseline: frame +
 * every entry, the same costs).
 *
 *   node scripts/bench-bigpage.ts [--entries 1200] [--dist dir --page page-0]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ENTRIES_PER_PART } from '../src/site/paginate.ts';
import { generateJournal } from './generate-journal.ts';

const { values } = parseArgs({
  options: { entries: { type: 'string', default: '1200' }, dist: { type: 'string' }, page: { type: 'string', default: 'page-0' } },
});
let dist = values.dist;
let work: string | null = null;
if (!dist) {
  work = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-bigpage-'));
  await generateJournal(work, { entries: Number(values.entries), pages: 1, notebooks: 1 });
  dist = path.join(work, 'dist');
  const t0 = performance.now();
  const built = spawnSync(process.execPath, [path.join(import.meta.dirname, '..', 'src', 'cli', 'bin.ts'), '-C', work, 'build', '--out', dist, '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, LAB_BASE: '/' },
  });
  if (built.status !== 0) throw new Error(`build exited ${built.status}\n${built.stderr}`);
  console.log(
    `built ${values.entries} entries on one page in ${((performance.now() - t0) / 1000).toFixed(1)} s (2-core machine shared with other work: noisy)\n`,
  );
}
const dir = path.join(dist, 'pages', values.page);
const parts = ['', ...readdirSync(dir).filter((d) => /^\d+$/.test(d))].sort((a, b) => Number(a) - Number(b));
const html = (part: string) => readFileSync(path.join(dir, part, 'index.html'), 'utf8');
const elements = (s: string) => (s.match(/<[a-zA-Z]/g) ?? []).length;
const section = (s: string, start: string, end = '</section>') => {
  const i = s.indexOf(start);
  return i < 0 ? '' : s.slice(i, s.indexOf(end, i));
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

console.log('| part | entries | HTML | gzipped | elements |');
console.log('|---|---|---|---|---|');
const rows = parts.map((p) => {
  const s = html(p);
  const n = (section(s, 'id="view-timeline"').match(/<li>/g) ?? []).length;
  return { p: p || '1', s, n, bytes: Buffer.byteLength(s), gz: gzipSync(s).length, el: elements(s) };
});
for (const r of rows)
  if (r.p === '1' || r.p === '2' || r.p === String(parts.length)) console.log(`| ${r.p} | ${r.n} | ${kb(r.bytes)} | ${kb(r.gz)} | ${r.el} |`);

// Costs per entry, from a full later part (no narrative, charts or graph there).
const later = rows.find((r) => r.p === '2') ?? rows[0]!;
const cost = (start: string, end?: string) => Buffer.byteLength(section(later.s, start, end)) / later.n;
const timeline = cost('id="view-timeline"');
const grid = cost('id="view-grid"');
const runs = cost('<tbody>', '</tbody>');
const perEntry = later.bytes / later.n;
const elPerEntry = later.el / later.n;
const frame = later.bytes - later.n * (timeline + grid + runs);
console.log(`\nper entry: timeline ${kb(timeline)}, grid ${kb(grid)}, runs row ${kb(runs)}; frame of a later part ${kb(frame)}`);
const total = rows.reduce((s, r) => s + r.n, 0);
const whole = frame + total * (timeline + grid + runs);
console.log(`\n| entries a part | later part (projected) | elements | ratio to one page of all ${total} |`);
console.log('|---|---|---|---|');
for (const n of [25, 50, 100, 200]) {
  const bytes = frame + n * (timeline + grid + runs);
  console.log(`| ${n}${n === ENTRIES_PER_PART ? ' (chosen)' : ''} | ${kb(bytes)} | ${Math.round((later.el / later.n) * n)} | ${(bytes / whole).toFixed(3)} |`);
}
console.log(`| all ${total} (no pagination, baseline) | ${kb(whole)} | ${Math.round(elPerEntry * total)} | 1.000 |`);
console.log(`\nmeasured per entry in a later part: ${kb(perEntry)} with the frame spread over ${later.n} entries`);
if (work) rmSync(work, { recursive: true, force: true });
