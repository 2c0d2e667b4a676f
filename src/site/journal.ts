/**
 * The only module Astro pages read journal data from. It reads the records the loader
 * (src/site/loader.ts, which calls the compiler) made, through the digest in the `journal`
 * content collection, once per build and indexes them for lookups. Also the URL helpers:
 * every internal link goes through `href()` so the site works under a sub-path (`LAB_BASE`).
 */
import { getCollection } from 'astro:content';
import { workspaceRoot } from './config.ts';
import { readNotesHtml } from './notes-store.ts';
import { readRecords } from './records-store.ts';
import { tagSlugMap } from './tag-slugs.ts';
import { loadSessionViews, type SessionView } from './sessions.ts';
import type { HistoryIndex, SiteEntry, SiteMeta, SiteNotebook, SitePage } from './types.ts';

export type { HistoryIndex, SiteEntry, SiteNotebook, SitePage } from './types.ts';

export interface Journal {
  meta: SiteMeta;
  /** Sorted by title. */
  notebooks: SiteNotebook[];
  /** Sorted by date (undated last), then title. */
  pages: SitePage[];
  /** Sorted by created date, then id. */
  entries: SiteEntry[];
  notebook: Map<string, SiteNotebook>;
  page: Map<string, SitePage>;
  entry: Map<string, SiteEntry>;
  /** Tag → URL slug, unique across tags. */
  tagSlugs: Map<string, string>;
  /**
   * The digest of what a notebook's, page's or entry's record was made from (src/site/loader.ts):
   * equal digests, equal records, so the cache keys need not hash the records again.
   */
  digests: WeakMap<object, string>;
}

let loaded: Promise<Journal> | undefined;

/** The journal, loaded once per process (in dev, once per content change). */
export function getJournal(): Promise<Journal> {
  if (import.meta.env?.DEV) return build();
  loaded ??= build();
  return loaded;
}

async function build(): Promise<Journal> {
  // The collection holds only the digest of the loader's records (src/site/records-store.ts); it is
  // read so that Astro reloads the pages when the digest changes.
  await getCollection('journal');
  const records = readRecords(workspaceRoot());
  const notebooks: SiteNotebook[] = [];
  const pages: SitePage[] = [];
  const entries: SiteEntry[] = [];
  let meta: SiteMeta = {
    name: 'Lab journal',
    tool: '',
    repository: null,
    publish: { host: false, absolute_paths: false },
    root: '',
    tags: {},
    history: { version: 1, head: null, entries: {}, pages: {}, notebooks: {} },
    problems: { errors: 0, warnings: 0 },
  };
  const digests = new WeakMap<object, string>();
  for (const { digest, data: record } of records) {
    if (record.kind === 'meta') {
      meta = record.meta;
      continue;
    }
    const item = record.kind === 'notebook' ? record.notebook : record.kind === 'page' ? record.page : record.entry;
    digests.set(item, digest);
    if (record.kind === 'notebook') notebooks.push(record.notebook);
    else if (record.kind === 'page') pages.push(record.page);
    else entries.push(record.entry);
  }
  notebooks.sort((a, b) => compare(a.title.toLowerCase(), b.title.toLowerCase()) || compare(a.id, b.id));
  pages.sort(byPageDate);
  entries.sort(byEntryDate);
  return {
    meta,
    notebooks,
    pages,
    entries,
    notebook: new Map(notebooks.map((n) => [n.id, n])),
    page: new Map(pages.map((p) => [p.id, p])),
    entry: new Map(entries.map((e) => [e.id, e])),
    tagSlugs: tagSlugMap(Object.keys(meta.tags)),
    digests,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pages oldest first; undated (conceptual) pages after dated ones. */
function byPageDate(a: SitePage, b: SitePage): number {
  if (a.date && !b.date) return -1;
  if (!a.date && b.date) return 1;
  return compare(a.date ?? '', b.date ?? '') || compare(a.slug, b.slug);
}

/** Entries oldest first, then by file name (`001-…`, `002-…`). */
export function byEntryDate(a: SiteEntry, b: SiteEntry): number {
  return compare(a.created ?? '', b.created ?? '') || compare(a.slug, b.slug) || compare(a.id, b.id);
}

/** Site base with trailing slash, from Astro (`LAB_BASE` / config). */
export function base(): string {
  const b = (import.meta.env?.BASE_URL as string | undefined) ?? '/';
  return b.endsWith('/') ? b : b + '/';
}

/** An absolute-path URL under the site base: `href('entries/x/')` → `/journal/entries/x/`. */
export function href(rel = ''): string {
  return base() + rel.replace(/^\/+/, '');
}

export const paths = {
  home: () => href(''),
  notebook: (id: string) => href(`notebooks/${encodeURIComponent(id)}/`),
  page: (id: string) => href(`pages/${encodeURIComponent(id)}/`),
  entry: (id: string) => href(`entries/${encodeURIComponent(id)}/`),
  /** 2–6 entries side by side; `why: 'siblings'` labels a comparison with the entry's siblings. */
  compare: (ids: string[], why?: 'siblings') => href(`compare/?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}${why ? `&why=${why}` : ''}`),
  tags: () => href('tags/'),
  tag: (slug: string) => href(`tags/${encodeURIComponent(slug)}/`),
  search: () => href('search/'),
  lab: () => href('lab/'),
};

/** An entry's rendered notes (sanitized HTML), read from where the loader stored them; empty without notes. */
export function notesHtml(entry: SiteEntry): string {
  return readNotesHtml(workspaceRoot(), entry.notes_ref);
}

/** Git history for one entry (newest first), or none. */
export function entryHistory(history: HistoryIndex, id: string): HistoryIndex['entries'][string] {
  return history.entries[id] ?? [];
}

const sessionViews = new WeakMap<Journal, Promise<SessionView[]>>();

/**
 * The imported Codex sessions, each file touched linked to the entries and pages that
 * use it; loaded once per journal (the lab pages and every entry page share it).
 */
export function getSessions(journal: Journal): Promise<SessionView[]> {
  let views = sessionViews.get(journal);
  if (!views) {
    views = loadSessionViews(workspaceRoot(), {
      entries: journal.entries,
      pages: journal.pages,
      repository: journal.meta.repository,
      href: { entry: paths.entry, page: paths.page },
    });
    sessionViews.set(journal, views);
  }
  return views;
}
