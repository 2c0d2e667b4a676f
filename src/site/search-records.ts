/**
 * What the search index holds, and how it is split into bundles. Notebooks and pages go to the
 * main bundle (with the Codex session pages, added from the built HTML); entries go to one bundle
 * per notebook, cut into pieces of at most `maxRecords` — so Pagefind never holds more than one
 * piece in memory at a time. Records are made when their bundle is built, not all at once.
 * Filters: kind, type, status, notebook, tag; sort: date; meta: title, image (thumbnail), date.
 */
import type { Entry, JournalIndex } from '../core/model.ts';
import type { SiteAssets } from './assets.ts';
import { blobHex } from './blobs.ts';
import { formatDate } from './format.ts';
import { htmlExcerpt, renderText } from './markdown.ts';

/** One record as Pagefind's Node API takes it (`addCustomRecord`). */
export type SearchRecord = Parameters<NonNullable<Awaited<ReturnType<typeof import('pagefind')['createIndex']>>['index']>['addCustomRecord']>[0];

/** A bundle of entries, merged into the main one in the browser. */
interface EntryShard {
  /** Folder name under `pagefind/shards/`: the notebook's id, made URL-safe, plus `-2`, `-3`… for later pieces. */
  name: string;
  /** Makes the records (on demand: holding every record of a large journal at once costs memory). */
  records(): SearchRecord[];
  /** How many records `records()` returns. */
  size: number;
}

/**
 * Entries per bundle. Pagefind's memory grows with the bundle (≈ 115 KB a page while indexing),
 * so this bounds the indexer's peak whatever the journal's size; the browser fetches a few small
 * files more per bundle.
 */
export const SHARD_RECORDS = 5000;

const text = (markdown: string | null | undefined, format: 'md' | 'org') => htmlExcerpt(renderText(markdown, format), Infinity);

interface SearchPlan {
  /** Notebooks and pages: the main bundle's records. */
  main(): SearchRecord[];
  /** The entries' bundles, in notebook order. */
  shards: EntryShard[];
}

export function planSearch(index: JournalIndex, assets: SiteAssets, base: string, maxRecords = SHARD_RECORDS): SearchPlan {
  const notebookTitle = new Map(index.notebooks.map((n) => [n.id, n.title]));
  const thumbOf = (hash: string) => {
    const hex = blobHex(hash);
    return hex && assets.thumbs[hex] ? `${base}thumbs/${assets.thumbs[hex]}` : undefined;
  };
  const coverOf = (e: Entry) => e.artifacts.map((a) => thumbOf(a.hash)).find(Boolean);
  const byId = new Map(index.entries.map((e) => [e.id, e]));
  const meta = (title: string, image: string | undefined, date: string | null, sortDate: string | null) => {
    const m: { [k: string]: string } = { title };
    if (image) m.image = image;
    if (date) m.date = formatDate(date, false);
    // The sort key, readable from a result: the search page merges the bundles' date orders with it.
    if (sortDate) m.sort_date = sortDate;
    return m;
  };
  const entryRecord = (e: Entry): SearchRecord => ({
    url: `/entries/${e.id}/`,
    content: [e.title, text(e.metadata.notes, e.source.format), e.metadata.tags.join(' '), e.type].join('\n'),
    language: 'en',
    meta: meta(e.title, coverOf(e), e.created, e.created),
    filters: {
      kind: ['entry'],
      type: [e.type],
      status: [e.status],
      notebook: [notebookTitle.get(e.notebook_id) ?? e.notebook_id],
      tag: e.metadata.tags,
    },
    sort: e.created ? { date: e.created } : {},
  });

  const main = () => {
    const records: SearchRecord[] = [];
    for (const n of index.notebooks) {
      records.push({
        url: `/notebooks/${n.id}/`,
        content: [n.title, n.description ?? '', text(n.overview, n.source.format), n.tags.join(' ')].join('\n'),
        language: 'en',
        meta: meta(n.title, undefined, null, n.last_activity),
        filters: { kind: ['notebook'], notebook: [n.title], tag: n.tags },
        sort: n.last_activity ? { date: n.last_activity } : {},
      });
    }
    for (const p of index.pages) {
      const narrative = Object.values(p.narrative).map((t) => text(t, p.source.format));
      const cover = p.entry_ids
        .map((id) => byId.get(id))
        .map((e) => e && coverOf(e))
        .find(Boolean);
      records.push({
        url: `/pages/${p.id}/`,
        content: [p.title, ...narrative, p.tags.join(' ')].join('\n'),
        language: 'en',
        meta: meta(p.title, cover, p.date, p.date),
        filters: { kind: ['page'], notebook: [notebookTitle.get(p.notebook_id) ?? p.notebook_id], status: [p.status], tag: p.tags },
        sort: p.date ? { date: p.date } : {},
      });
    }
    return records;
  };

  const perNotebook = new Map<string, Entry[]>();
  for (const e of index.entries) {
    const list = perNotebook.get(e.notebook_id);
    if (list) list.push(e);
    else perNotebook.set(e.notebook_id, [e]);
  }
  const shards: EntryShard[] = [];
  const taken = new Set<string>();
  const order = [...index.notebooks.map((n) => n.id), ...[...perNotebook.keys()].filter((id) => !notebookTitle.has(id)).sort()];
  for (const notebookId of order) {
    const entries = perNotebook.get(notebookId);
    if (!entries) continue;
    const stem = notebookId.toLowerCase().replace(/[^a-z0-9_-]+/g, '-') || 'notebook';
    for (let start = 0, piece = 1; start < entries.length; start += maxRecords, piece++) {
      const slice = entries.slice(start, start + maxRecords);
      let name = piece === 1 ? stem : `${stem}-${piece}`;
      while (taken.has(name)) name += '_';
      taken.add(name);
      shards.push({ name, size: slice.length, records: () => slice.map(entryRecord) });
    }
  }
  return { main, shards };
}
