/**
 * The `cacheKey` every dynamic route returns from `getStaticPaths` for Astro's incremental build
 * (`experimental.incrementalBuild`, enabled in src/site/integration.ts). Astro restores a page from
 * its previous build when the route's code is unchanged (Astro hashes the module graph itself)
 * and the key is unchanged, so a key must change exactly when the page's output would: it hashes
 * every piece of journal data the page renders — its own record and also what it shows but does
 * not own (lineage neighbours, the page and notebook titles in the breadcrumb, tag slugs,
 * sessions, git history, the site-wide header). The site base, origin and Astro options are in
 * Astro's own configuration hash, and the tool's code in the module-graph hash; the tool's version
 * is in the keys as well, for the parts Astro does not hash (external packages such as dagre).
 *
 * One module, so the pages never compute keys of their own: a page that starts reading another
 * input adds it here.
 */
import { createHash } from 'node:crypto';
import { entryFamily } from './entry-family.ts';
import { getSessions, type Journal } from './journal.ts';
import { entryGraph, pageGraph } from './lineage.ts';
import { type SessionView, sessionsForItem, sessionsForItems } from './sessions.ts';
import type { SiteEntry, SiteNotebook, SitePage } from './types.ts';

/** Bumped when what a key covers changes, so keys of an older tool never match. */
const KEY_VERSION = 1;

/** The keys of one journal load; see {@link cacheKeys}. */
export interface CacheKeys {
  entry(entry: SiteEntry): string;
  page(page: SitePage): string;
  notebook(notebook: SiteNotebook): string;
  /** A tag's list page. */
  tag(tag: string): string;
  /** A Codex session's page (`/lab/<id>/`). */
  session(view: SessionView): string;
  /** The runs CSV of a page or notebook: it changes only with their entries. */
  runsCsv(id: string): string;
}

const loaded = new WeakMap<Journal, Promise<CacheKeys>>();

/** The cache keys for the journal's pages, made once per journal load and shared by the routes. */
export function cacheKeys(journal: Journal): Promise<CacheKeys> {
  let keys = loaded.get(journal);
  if (!keys) {
    keys = getSessions(journal).then((sessions) => makeKeys(journal, sessions));
    loaded.set(journal, keys);
  }
  return keys;
}

function hash(...parts: unknown[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(typeof part === 'string' ? part : JSON.stringify(part ?? null)).update('\0');
  return h.digest('base64url').slice(0, 32);
}

/** Hashes an object once per journal load (records are shared by every page that shows them). */
function memoHash<T extends object>(of: (value: T) => unknown[]): (value: T) => string {
  const memo = new WeakMap<T, string>();
  return (value) => {
    let h = memo.get(value);
    if (h === undefined) memo.set(value, (h = hash(...of(value))));
    return h;
  };
}

function makeKeys(journal: Journal, sessions: SessionView[]): CacheKeys {
  const { meta } = journal;
  // The header, footer and <head> of every page (src/site/layouts/Base.astro), and how values are
  // published (publicValue: root and publish settings). The commit and problem counts are only
  // on the home page, which is not cached.
  const site = hash(KEY_VERSION, meta.tool, meta.name, meta.repository, meta.root, meta.publish, sessions.length > 0);
  const lookup = (id: string) => journal.entry.get(id);
  // A record's loader digest stands for the record itself (equal digests, equal records); a record
  // without one (a journal made some other way) is hashed whole.
  const whole = memoHash((record: object) => [record]);
  const full = (record: object) => journal.digests.get(record) ?? whole(record);
  /** What a page shows of an entry it does not own: a link, a card in a graph, a place in an order. */
  const summary = memoHash((e: SiteEntry) => [
    e.id,
    e.title,
    e.type,
    e.status,
    e.stale,
    e.run_note?.stuck ?? false,
    e.cover,
    e.page_id,
    e.notebook_id,
    e.created,
    e.slug,
    e.lineage,
  ]);
  const sessionHash = memoHash((view: SessionView) => [view]);
  const slugs = (tags: readonly string[]) => tags.map((t) => journal.tagSlugs.get(t) ?? '');
  // The insights of a page or notebook avoid suggesting inputs already run anywhere in the journal
  // and link any entry id in their text: both read the whole journal, but only ids and run hashes.
  let journalWide: string | undefined;
  const insightsInputs = () =>
    (journalWide ??= hash(
      journal.entries.map((e) => e.id),
      journal.entries.map((e) => e.execution?.inputs_hash ?? null),
    ));
  const pageOf = (id: string) => journal.page.get(id);

  return {
    entry(entry) {
      const { parent, siblings, children, ancestors } = entryFamily(entry, lookup);
      const neighbours = new Map<string, SiteEntry>();
      for (const e of [...siblings, ...children, ...ancestors]) neighbours.set(e.id, e);
      for (const node of entryGraph(entry, lookup).nodes) {
        const e = lookup(node.id);
        if (e && e.id !== entry.id) neighbours.set(e.id, e);
      }
      const page = pageOf(entry.page_id);
      const notebook = journal.notebook.get(entry.notebook_id);
      return hash(
        site,
        'entry',
        full(entry),
        // The inputs and metrics are compared with the parent's.
        parent ? [summary(parent), hash(parent.type, parent.inputs, parent.metrics)] : null,
        [...neighbours.keys()].sort().map((id) => summary(neighbours.get(id)!)),
        page ? [page.id, page.title] : null,
        notebook ? [notebook.id, notebook.title, notebook.settings.metrics ?? null] : null,
        slugs(entry.metadata.tags),
        meta.history.entries[entry.id] ?? null,
        sessionsForItem(sessions, 'entry', entry.id).map(sessionHash),
      );
    },
    // Every part of a page or notebook has the whole one's key: made once, not once per part.
    page: memoHash((page: SitePage) => {
      const entries = page.entry_ids.map(lookup).filter((e) => !!e);
      const own = new Set(page.entry_ids);
      const graph = pageGraph(entries, lookup, page.id);
      const outside = graph.nodes
        .filter((n) => !own.has(n.id))
        .map((n) => n.id)
        .sort();
      const notebook = journal.notebook.get(page.notebook_id);
      return [
        site,
        'page',
        full(page),
        notebook ? full(notebook) : null,
        entries.map(full),
        outside.map((id) => summary(lookup(id)!)),
        slugs([...page.tags, ...entries.flatMap((e) => e.metadata.tags)]),
        meta.history.pages[page.id] ?? null,
        sessionsForItems(sessions, [{ kind: 'page', id: page.id }, ...entries.map((e) => ({ kind: 'entry' as const, id: e.id }))]).map(sessionHash),
        insightsInputs(),
      ];
    }),
    notebook: memoHash((notebook: SiteNotebook) => {
      const pages = notebook.page_ids.map(pageOf).filter((p) => !!p);
      const entries = journal.entries.filter((e) => e.notebook_id === notebook.id);
      return [
        site,
        'notebook',
        full(notebook),
        pages.map(full),
        pages.map((p) => p.entry_ids.map((id) => (lookup(id) ? full(lookup(id)!) : null))),
        entries.map(full),
        slugs(notebook.tags),
        meta.history.notebooks[notebook.id] ?? null,
        insightsInputs(),
      ];
    }),
    tag(tag) {
      const ids = meta.tags[tag] ?? { notebooks: [], pages: [], entries: [] };
      return hash(
        site,
        'tag',
        tag,
        journal.tagSlugs.get(tag) ?? null,
        ids.notebooks.map((id) => journal.notebook.get(id)).map((n) => (n ? [n.id, n.title, n.icon] : null)),
        ids.pages.map((id) => pageOf(id)).map((p) => (p ? [p.id, p.title, p.date] : null)),
        ids.entries.map((id) => (lookup(id) ? summary(lookup(id)!) : null)),
      );
    },
    session(view) {
      return hash(site, 'session', sessionHash(view));
    },
    runsCsv(id) {
      const page = pageOf(id);
      const notebook = page ? journal.notebook.get(page.notebook_id) : journal.notebook.get(id);
      const entryIds = page ? page.entry_ids : (notebook?.page_ids ?? []).flatMap((p) => pageOf(p)?.entry_ids ?? []);
      return hash(
        KEY_VERSION,
        'runs',
        id,
        notebook?.settings.metrics ?? null,
        entryIds.map((e) => (lookup(e) ? full(lookup(e)!) : null)),
      );
    },
  };
}
