/**
 * The real-world fixture journal (test/core/fixtures/real-world) rendered as the site shows
 * it: every in-page link has a target, journal links resolve, math reaches KaTeX byte for
 * byte, Org keeps its planning lines, checkboxes and TODO keywords.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { fixDiagnostics } from '../../src/core/fix.ts';
import type { JournalIndex } from '../../src/core/model.ts';
import { discover } from '../../src/core/stages/discover.ts';
import { htmlExcerpt } from '../../src/site/markdown.ts';
import { planNoteFiles } from '../../src/site/note-files.ts';
import { siteLinks } from '../../src/site/render/context.ts';
import { tagSlugMap } from '../../src/site/tag-slugs.ts';
import { entryHtml, notebookHtml, pageHtml } from '../../src/site/render/records.ts';
import { tmpDir } from '../core/helpers.ts';

const FIXTURE = path.join(import.meta.dirname, '..', 'core', 'fixtures', 'real-world');

/** Rendered HTML of each site page that shows journal text, by URL. */
let pages: Map<string, string>;
let index: JournalIndex;
let sources: Map<string, string>;

beforeAll(async () => {
  const dir = tmpDir('lab-render-');
  cpSync(FIXTURE, dir, { recursive: true });
  await fixDiagnostics(dir, (await compile(dir, { cache: false, write: false })).diagnostics);
  index = (await compile(dir, { cache: false, write: false })).index;
  const { files } = await discover(dir);
  const links = siteLinks(index, files, planNoteFiles(dir, files), '/journal/');
  pages = new Map();
  sources = new Map();
  for (const n of index.notebooks) pages.set(`/journal/notebooks/${n.id}/`, notebookHtml(n, links));
  // The page template gives each narrative section a heading `<h2 id="n-<key>">`.
  for (const p of index.pages) {
    pages.set(
      `/journal/pages/${p.id}/`,
      Object.entries(pageHtml(p, links))
        .map(([key, html]) => (html && key !== 'other' ? `<h2 id="n-${key}">${key}</h2>\n` : '') + html)
        .join('\n'),
    );
  }
  for (const e of index.entries) pages.set(`/journal/entries/${e.id}/`, entryHtml(e, links));
  const { readFileSync } = await import('node:fs');
  for (const f of files) if (/\.(md|org)$/.test(f.path)) sources.set(f.path, readFileSync(path.join(dir, f.path), 'utf8'));
});

const page = (kind: string, id: string) => pages.get(`/journal/${kind}/${id}/`)!;
const entryId = (title: string) => index.entries.find((e) => e.title === title)!.id;
// Implicit page ids are not spelled out here: the rule that makes them may change.
const pageId = (title: string) => index.pages.find((p) => p.title === title)!.id;
const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');

describe('the real-world journal on the site', () => {
  it('every in-page link has a target and every journal link points at a page or file that exists', () => {
    const urls = new Set(pages.keys());
    const tagPages = new Set([...tagSlugMap(Object.keys(index.tags)).values()].map((slug) => `/journal/tags/${slug}/`));
    for (const [url, html] of pages) {
      const targets = ids(html);
      for (const m of html.matchAll(/\shref="([^"]*)"/g)) {
        const href = unescapeHtml(m[1]!);
        if (href.startsWith('#')) expect(targets.has(decodeURIComponent(href.slice(1))), `${url}: ${href}`).toBe(true);
        else if (href.startsWith('/journal/files/')) expect(href, url).toMatch(/^\/journal\/files\/[0-9a-f]{64}\/[^/]+$/);
        else if (href.startsWith('/journal/tags/')) expect(tagPages.has(href), `${url}: ${href}`).toBe(true);
        else if (href.startsWith('/journal/')) {
          const [to, frag] = href.split('#');
          expect(urls.has(to!), `${url}: ${href}`).toBe(true);
          if (frag) expect(ids(pages.get(to!)!).has(frag), `${url}: ${href}`).toBe(true);
        } else expect(href, url).toMatch(/^https?:/);
      }
      // No id twice on a page (narrative sections share a slugger; footnotes are scoped).
      const all = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(all.length, url).toBe(new Set(all).size);
    }
  });

  it('math reaches KaTeX byte for byte, and `$5 and $10` stays money', () => {
    let checked = 0;
    for (const [file, text] of sources) {
      if (!file.endsWith('.md')) continue;
      const html = [...pages.values()].join('\n');
      for (const m of text.matchAll(/\$\$\n([\s\S]+?)\n\$\$|(?<![\\$])\$([^$\s](?:[^$]*[^$\s])?)\$(?!\d)/g)) {
        const tex = m[1] ?? m[2];
        if (/^\d/.test(tex!)) continue;
        const annotations = [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((a) => unescapeHtml(a[1]!));
        expect(annotations, `${file}: ${tex}`).toContain(tex);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    const reading = page('pages', pageId('August reading group'));
    expect(reading).toContain('it cost $5 and $10 in GPU time');
    expect(reading).not.toContain('katex-error');
  });

  it('wikilinks, embeds and callouts from Obsidian and Quartz', () => {
    const reading = page('pages', pageId('August reading group'));
    expect(reading).toContain(`<a href="/journal/entries/entry-5a8d2c4e6f10/" class="wikilink">the transformer paper</a>`);
    expect(reading).toContain(`<a href="/journal/entries/entry-7c1e5a9b3d2f/" class="wikilink">Scaling laws</a>`);
    expect(reading).toContain(
      `<a href="/journal/entries/${entryId('Reproduce the loss curve')}/#user-content-results" class="wikilink">002-loss-curve › Results</a>`,
    );
    expect(reading).toMatch(/<img src="\/journal\/files\/[0-9a-f]{64}\/diagram\.png" alt="attachments\/diagram\.png">/);
    expect(reading).toContain('<div class="callout callout-note" data-callout="note">\n<p class="callout-title">Why this matters</p>');
    // `> [!warning]- Spoiler` is folded: a <details> the reader opens.
    expect(reading).toContain('<details class="callout callout-warning" data-callout="warning">\n<summary class="callout-title">Spoiler</summary>');
    // A footnote used in Goals and defined at the end of the file (Conclusions) lands in Goals.
    expect(reading).toMatch(/<a href="#user-content-goals-fn-why" id="user-content-goals-fnref-why"/);
    expect(reading).toContain('<a href="/journal/entries/entry-7c1e5a9b3d2f/" class="mention">entry-7c1e5a9b3d2f</a>');
    expect(reading).toMatch(/<figure class="mermaid-diagram"><img src="data:image\/svg\+xml;base64,/);
    const loss = page('entries', entryId('Reproduce the loss curve'));
    expect(loss).toMatch(/<img src="\/journal\/files\/[0-9a-f]{64}\/loss-curve\.png" alt="loss-curve\.png" width="400">/);
    expect(loss).toMatch(/<a href="\/journal\/files\/[0-9a-f]{64}\/loss-curve\.png">the figure<\/a>/);
    expect(loss).toContain('<a href="#user-content-results" class="wikilink">this section</a>');
    // The note's `# Reproduce the loss curve` repeats the entry's title, which the page shows: dropped.
    expect(loss).toMatch(/^<p>Training run following/);
    // Body `#tags` go to their tag pages, as in Obsidian and Quartz.
    expect(reading).toContain('above. <a href="/journal/tags/followup/" class="tag">#followup</a>');
    expect(page('notebooks', index.notebooks.find((n) => n.source.path.endsWith('vault/README.md'))!.id)).toContain(
      '<a href="/journal/tags/inbox/" class="tag">#inbox</a>',
    );
    // `![[Note]]` on its own line shows the note in place (Obsidian's embed), with a link to it; a
    // heading's section and a `^block` show just that part; the block marker itself is not shown.
    const digest = page('entries', 'entry-9d3b1f7a2c64');
    const embeds = digest.split('<div class="transclude">').slice(1);
    expect(embeds).toHaveLength(3);
    expect(embeds[0]).toMatch(
      /^\n<p class="transclude-title"><a href="\/journal\/entries\/entry-5a8d2c4e6f10\/" class="wikilink embed">Transformer paper notes<\/a><\/p>\n<div class="transclude-body"><h4 id="user-content-attention-is-all-you-need">/,
    );
    expect(embeds[0]).toContain('<div class="callout callout-tip" data-callout="tip">');
    expect(embeds[0]).toContain('<li id="user-content-notes-embed1-fn-1">');
    expect(embeds[1]).toContain(
      `<a href="/journal/entries/${entryId('Reproduce the loss curve')}/#user-content-results" class="wikilink embed">Reproduce the loss curve › Results</a>`,
    );
    expect(embeds[1]).toMatch(/<h4 id="user-content-results">Results .*loss-curve\.png" alt="loss-curve\.png" width="400">.*warmup 4000 steps/s);
    expect(embeds[1]).not.toContain('Training run following');
    expect(embeds[2]).toMatch(/<div class="transclude-body"><p>Key idea: self-attention, .* per layer\. Related: .*Scaling laws<\/a>\.<\/p><\/div>\n<\/div>/s);
    expect(digest).not.toContain('^key-idea');
    expect(digest).toMatch(
      /<p><audio src="\/journal\/files\/[0-9a-f]{64}\/discussion\.wav" controls preload="metadata"><a href="[^"]+">discussion\.wav<\/a><\/audio><\/p>/,
    );
    expect(digest).toContain(
      '<details class="callout callout-faq" data-callout="faq">\n<summary class="callout-title">Why embed instead of copying?</summary>',
    );
    // Obsidian's comments are the writer's own; highlights are marked.
    expect(digest).not.toContain('Chinchilla');
    expect(digest).toContain('<p>The result that <mark>mattered</mark>, and the one-line idea behind it:</p>');
    expect(page('entries', 'entry-5a8d2c4e6f10')).not.toContain('^key-idea');
    const scaling = page('entries', 'entry-7c1e5a9b3d2f');
    expect(scaling).toContain('<span class="wikilink wikilink-missing"');
    const paper = page('entries', 'entry-5a8d2c4e6f10');
    // Excerpts read as text: no permalink `#`, math as its TeX source once.
    expect(htmlExcerpt(paper, Infinity)).toMatch(/^Attention Is All You Need Key idea: self-attention, O\(n\^2 \\cdot d\) per layer\./);
    // The note's own `# Title` sits under the entry page's "Notes" heading, not beside its h1.
    expect(paper).toMatch(
      /^<h3 id="user-content-attention-is-all-you-need">Attention Is All You Need <a href="#user-content-attention-is-all-you-need" class="heading-anchor"/,
    );
    expect(paper).not.toContain('user-content-user-content');
  });

  it('Org: planning lines, checkboxes, TODO keywords, underline, levels, id/file/CUSTOM_ID links', () => {
    const trial = page('pages', '9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90');
    expect(trial).not.toMatch(/<h1/);
    expect(trial).toContain(
      '<h2 id="user-content-induction-run"><span class="todo-keyword todo">RUNNING</span> Induction run <span class="tags"><a class="tag" href="/journal/tags/test/">TEST</a> <a class="tag" href="/journal/tags/drylab/">drylab</a></span>',
    );
    expect(trial).toContain(
      '<p class="planning"><span class="planning-keyword">SCHEDULED:</span> <time datetime="2024-07-16">&#x3C;2024-07-16 Tue></time> <span class="planning-keyword">DEADLINE:</span> <time datetime="2024-07-20">&#x3C;2024-07-20 Sat></time></p>',
    );
    expect(trial).toContain('<h3 id="user-content-check-inclusion-bodies"><span class="todo-keyword done">DONE</span> Check inclusion bodies');
    expect(trial).toContain('<span class="planning-keyword">CLOSED:</span> <time datetime="2024-07-17T09:12">[2024-07-17 Wed 09:12]</time>');
    expect(trial).toContain('<li class="task-list-item"><input type="checkbox" disabled checked> Transform BL21(DE3)');
    expect(trial).toContain('<li class="task-list-item"><input type="checkbox" disabled> Induce at OD');
    expect(trial).toContain('<span class="checkbox-partial" title="partly done">[-]</span> Compare');
    expect(trial).toContain('Yield was <u>much</u> higher');
    expect(trial).toContain('<a href="/journal/entries/entry-4b2d9e0f1a3c/">the western blot</a>');
    expect(trial).toContain('<a href="#user-content-induction-run">the run section</a>');
    expect(trial).toContain('<a href="#n-observations">the observations</a>');
    // A narrative section's planning line stays visible; a footnote defined under `* Footnotes` lands in the section using it.
    expect(trial).toContain('<h2 id="n-observations">observations</h2>\n<p>SCHEDULED: <time datetime="2024-07-16" class="timestamp">');
    expect(trial).toMatch(/<a href="#user-content-observations-fn\.1" class="footref" id="user-content-observations-fnr\.1">1<\/a>/);
    expect(trial).toContain('<a href="#n-conclusions">the conclusions</a>');
    expect(trial).toContain(`<a href="/journal/entries/${entryId('Induction at 18 °C overnight')}/">induction</a>`);
    expect(trial).toMatch(/<img src="\/journal\/files\/[0-9a-f]{64}\/gel\.png" alt="gel\.png">/);
    expect(trial).toContain('<a href="/journal/entries/entry-4b2d9e0f1a3c/" class="mention">entry-4b2d9e0f1a3c</a> repeated');
    expect(trial).toContain('<annotation encoding="application/x-tex">K_d = 2.3\\,\\mu M</annotation>');
    expect(unescapeHtml(trial)).toContain(
      '<annotation encoding="application/x-tex">\\begin{align}\n\\Delta G &= -RT \\ln K \\\\\nK &= e^{-\\Delta G / RT}\n\\end{align}</annotation>',
    );
    expect(trial).not.toContain('katex-error');
    const blot = page('entries', 'entry-4b2d9e0f1a3c');
    expect(blot).toContain('<a href="/journal/pages/9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90/">the trial page</a>');
    const notebook = page('notebooks', index.notebooks.find((n) => n.title === 'Protein Expression Lab Notebook')!.id);
    expect(notebook).toContain('<a href="/journal/pages/9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90/">the first trial</a>');
    expect(notebook).not.toContain('HTML_HEAD');
    // `{{{kd}}}` expands with the file's #+MACRO (and `_{d}` is a subscript, as #+OPTIONS ^:{} says).
    expect(notebook).toContain('yields in mg/L, K<sub>d</sub> in µM.');
    const induction = page('entries', entryId('Induction at 18 °C overnight'));
    expect(induction).toContain('<span class="todo-keyword todo">RUNNING</span> Protocol');
  });
});
