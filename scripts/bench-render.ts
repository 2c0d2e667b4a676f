/**
 * `npm run bench:render`: how long the site's note renderer (src/site/markdown.ts: GFM, math,
 * wikilinks, callouts, heading ids, footnotes, mentions, KaTeX, Mermaid) takes per note, against
 * the bare pipeline it grew from (remark-gfm → rehype-sanitize → HTML) on the same notes in the
 * same run. Prints both and the ratio, per kind of note.
 *
 *   node scripts/bench-render.ts [--notes 2000]
 */
import { parseArgs } from 'node:util';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { LinkTable } from '../src/core/references.ts';
import { renderText } from '../src/site/markdown.ts';
import type { SiteLinks } from '../src/site/render/context.ts';

const { values } = parseArgs({ options: { notes: { type: 'string', default: '2000' } } });
const n = Number(values.notes);

const bare = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();
const targets = Array.from({ length: 1000 }, (_, i) => ({
  kind: 'entry' as const,
  id: `entry-${String(i).padStart(12, '0')}`,
  title: `Run ${i}`,
  path: `content/notebooks/nb/p/entries/${String(i).padStart(3, '0')}-run.md`,
}));
const links: SiteLinks = { table: new LinkTable(targets), url: (t) => `/entries/${t.id}/`, fileUrl: () => null, tagUrl: () => null, text: () => null };

const words = 'the sample was measured twice and the loss fell slowly while the learning rate stayed fixed'.split(' ');
const prose = (i: number) => Array.from({ length: 200 }, (_, k) => words[(i + k) % words.length]).join(' ') + '.';
const kinds: Record<string, (i: number) => string> = {
  'plain prose': (i) => prose(i),
  'markdown (list, code, link, heading)': (i) =>
    `## Setup\n\n${prose(i)}\n\n- step one with \`code\`\n- step two, see [docs](https://example.org)\n\n\`\`\`python\nprint(${i})\n\`\`\`\n`,
  'obsidian (wikilinks, callout, footnote, id)': (i) =>
    `${prose(i)} See [[Run ${i % 1000}]] and entry-${String((i + 1) % 1000).padStart(12, '0')}[^1].\n\n> [!note] Result\n> It worked.\n\n[^1]: Source.\n`,
  'math (inline and display)': (i) =>
    `${prose(i)} With $\\alpha_${i % 9} = \\frac{1}{\\sqrt{d_k}}$ and\n\n$$\nL(N) = (N_c / N)^{\\alpha_N} \\\\ \\sum_{k=1}^{${i % 50}} k^2\n$$\n`,
};

const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
console.log(`render ${n} notes of each kind (≈200 words): bare = remark-gfm + sanitize; ours = renderText with journal links`);
for (const [kind, make] of Object.entries(kinds)) {
  const notes = Array.from({ length: n }, (_, i) => make(i));
  // Warm both up so the first call's module loading is not measured.
  bare.processSync(notes[0]);
  renderText(notes[0], 'md', { links });
  // Interleaved rounds, best of five each: the machine is shared, the minimum is the signal.
  let a = Infinity;
  let b = Infinity;
  for (let round = 0; round < 5; round++) {
    a = Math.min(
      a,
      time(() => {
        for (const t of notes) bare.processSync(t);
      }),
    );
    b = Math.min(
      b,
      time(() => {
        for (const t of notes) renderText(t, 'md', { links, headingBase: 3, scope: 'notes-' });
      }),
    );
  }
  console.log(`${kind.padEnd(44)} bare ${(a / n).toFixed(3)} ms/note · ours ${(b / n).toFixed(3)} ms/note · ${(b / a).toFixed(2)}×`);
}
