/**
 * The Pagefind index. Notebooks, pages and entries are added as records built from the compiled
 * journal — so indexing runs in Pagefind's own process while Astro renders, on the other core —
 * and the Codex session pages (`lab/`, marked `kind:session` in their HTML) are added from the
 * built HTML at the end. Filters: kind, type, status, notebook, tag; sort: date; meta: title,
 * image (thumbnail), date. Record URLs are relative to the site root, like Pagefind's own, and the
 * search page passes the base as `baseUrl`.
 */
import path from 'node:path';
import type { JournalIndex } from '../core/model.ts';
import type { SiteAssets } from './assets.ts';
import { blobHex } from './blobs.ts';
import { formatDate } from './format.ts';
import { htmlExcerpt, renderText } from './markdown.ts';

type PagefindIndex = NonNullable<Awaited<ReturnType<typeof import('pagefind')['createIndex']>>['index']>;

export interface SearchIndexing {
  /** Adds the built session pages, writes `<out>/pagefind/`; returns the number of records. */
  finish(out: string): Promise<number>;
}

const text = (markdown: string | null | undefined, format: 'md' | 'org') => htmlExcerpt(renderText(markdown, format), Infinity);

export async function startSearchIndex(index: JournalIndex, assets: SiteAssets, base: string): Promise<SearchIndexing> {
  const pagefind = await import('pagefind');
  // Past 2,000 pages, fragments are bundled a few per file: writing 10,000 small files costs
  // more than the slightly larger downloads per result.
  const created = await pagefind.createIndex({ maxFragments: 2000 });
  if (!created.index) throw new Error(`pagefind: ${created.errors.join('; ')}`);
  const pf: PagefindIndex = created.index;
  const notebookTitle = new Map(index.notebooks.map((n) => [n.id, n.title]));
  const thumbOf = (hash: string) => {
    const hex = blobHex(hash);
    return hex && assets.thumbs[hex] ? `${base}thumbs/${assets.thumbs[hex]}` : undefined;
  };
  const cover = new Map<string, string>();
  for (const e of index.entries) {
    const image = e.artifacts.map((a) => thumbOf(a.hash)).find(Boolean);
    if (image) cover.set(e.id, image);
  }
  type Record = Parameters<PagefindIndex['addCustomRecord']>[0];
  const records: Record[] = [];
  const meta = (title: string, image: string | undefined, date: string | null) => {
    const m: { [k: string]: string } = { title };
    if (image) m.image = image;
    if (date) m.date = formatDate(date, false);
    return m;
  };
  for (const n of index.notebooks) {
    records.push({
      url: `/notebooks/${n.id}/`,
      content: [n.title, n.description ?? '', text(n.overview, n.source.format), n.tags.join(' ')].join('\n'),
      language: 'en',
      meta: meta(n.title, undefined, null),
      filters: { kind: ['notebook'], notebook: [n.title], tag: n.tags },
      sort: n.last_activity ? { date: n.last_activity } : {},
    });
  }
  for (const p of index.pages) {
    const narrative = Object.values(p.narrative).map((t) => text(t, p.source.format));
    records.push({
      url: `/pages/${p.id}/`,
      content: [p.title, ...narrative, p.tags.join(' ')].join('\n'),
      language: 'en',
      meta: meta(p.title, p.entry_ids.map((id) => cover.get(id)).find(Boolean), p.date),
      filters: { kind: ['page'], notebook: [notebookTitle.get(p.notebook_id) ?? p.notebook_id], status: [p.status], tag: p.tags },
      sort: p.date ? { date: p.date } : {},
    });
  }
  for (const e of index.entries) {
    records.push({
      url: `/entries/${e.id}/`,
      content: [e.title, text(e.metadata.notes, e.source.format), e.metadata.tags.join(' '), e.type].join('\n'),
      language: 'en',
      meta: meta(e.title, cover.get(e.id), e.created),
      filters: {
        kind: ['entry'],
        type: [e.type],
        status: [e.status],
        notebook: [notebookTitle.get(e.notebook_id) ?? e.notebook_id],
        tag: e.metadata.tags,
      },
      sort: e.created ? { date: e.created } : {},
    });
  }
  const failures: string[] = [];
  // All requests are queued at once: Pagefind works through them in its own process.
  const t0 = performance.now();
  const debug = process.env.LAB_DEBUG_SEARCH ? (what: string) => console.error(`search: ${what} at ${Math.round(performance.now() - t0)} ms`) : () => {};
  const adding = Promise.all(records.map((r) => pf.addCustomRecord(r))).then((results) => {
    for (const r of results) failures.push(...r.errors);
    debug(`${records.length} records added`);
  });
  return {
    async finish(out: string) {
      debug('finish requested');
      await adding;
      const lab = await pf.addDirectory({ path: out, glob: 'lab/**/*.html' });
      failures.push(...lab.errors);
      debug(`${lab.page_count} session pages added`);
      const written = await pf.writeFiles({ outputPath: path.join(out, 'pagefind') });
      failures.push(...written.errors);
      debug('written');
      await pagefind.close();
      if (failures.length) throw new Error(`pagefind: ${failures.slice(0, 5).join('; ')}`);
      return records.length + lab.page_count;
    },
  };
}
