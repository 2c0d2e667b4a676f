/**
 * The content-layer loader: the site's only way to the journal. It calls the compiler
 * (`compile(root)` from src/core/compile.ts), makes the missing thumbnails, renders every
 * note and narrative to sanitized HTML and makes one record per notebook, page and entry
 * (plus one `meta` record), kept by src/site/records-store.ts; the `journal` collection holds
 * only their digest. Records whose source did not change keep their rendered HTML (digest
 * check), so rebuilds render only what changed.
 * In `astro dev` it watches `content/` and `.lab/history.json` and reloads on change.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import { formatDiagnostic } from '../core/diagnostics.ts';
import type { CompileResult, Entry, Page, SourceRef } from '../core/model.ts';
import { discover } from '../core/stages/discover.ts';
import { findResultSidecars, runningState } from '../runners/run-state.ts';
import { compile } from '../sdk/journal.ts';
import { VERSION } from '../version.ts';
import { readLogs, siteArtifact } from './artifacts.ts';
import { blobHex } from './blobs.ts';
import { planAssets, type SiteAssets } from './assets.ts';
import { resolveSiteLocation, workspaceRoot } from './config.ts';
import { polishHtml } from './html-post.ts';
import { htmlExcerpt } from './markdown.ts';
import { putNotesHtml, pruneNotesHtml, storedNotes } from './notes-store.ts';
import { RECORDS_ID, loadRecords, type StoredRecord, saveRecords } from './records-store.ts';
import { planNoteFiles } from './note-files.ts';
import { siteLinks } from './render/context.ts';
import { embedSignature } from './render/embeds.ts';
import { tagSlugMap } from './tag-slugs.ts';
import { entryHtml, notebookHtml, pageHtml } from './render/records.ts';
import { entryQuery } from './sql-text.ts';
import { ensureThumbnails } from './thumbnails.ts';
import type { HistoryIndex, JournalRecord, SiteEntry, SiteMeta } from './types.ts';

const watching = new WeakSet<object>();
/** Bumped when the shape of the stored records changes, so old stores are not reused. */
const RECORD_VERSION = 10;

export function journalLoader(): Loader {
  return {
    name: 'codex-lab-journal',
    load: async (context) => {
      await loadInto(context);
      const { watcher } = context;
      if (!watcher || watching.has(watcher)) return;
      watching.add(watcher);
      const root = workspaceRoot();
      const watched = [path.join(root, 'content'), path.join(root, '.lab', 'history.json'), path.join(root, 'lab.config.yaml')];
      watcher.add(watched);
      let timer: NodeJS.Timeout | undefined;
      const reload = (file: string) => {
        if (!watched.some((w) => file === w || file.startsWith(w + path.sep))) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          context.logger.info(`${path.relative(root, file)} changed: recompiling`);
          loadInto(context).catch((error: Error) => context.logger.error(`reload failed: ${error.message}`));
        }, 150);
      };
      watcher.on('change', reload);
      watcher.on('add', reload);
      watcher.on('unlink', reload);
    },
  };
}

/**
 * Set by src/site/build.ts (same process) so the loader reuses its compile result instead of
 * compiling again, and leaves thumbnails to the build, which makes them while Astro renders.
 */
export interface SharedBuild {
  root: string;
  result: CompileResult;
  thumbnails: 'external';
}
export const SHARED_BUILD = Symbol.for('codex-lab.site-build');

async function loadInto({ store, logger, generateDigest, watcher }: LoaderContext): Promise<void> {
  const root = workspaceRoot();
  const started = performance.now();
  const candidate = (globalThis as Record<symbol, SharedBuild | undefined>)[SHARED_BUILD];
  const shared = candidate && candidate.root === root ? candidate : undefined;
  const result = shared ? shared.result : await compile(root);
  if (!shared) reportDiagnostics(result, (line) => logger.warn(line));

  const plan = planAssets(root, result.index);
  const blobs = plan.store;
  const thumbs = new Map(plan.known);
  const thumbsDir = path.join(root, '.lab', 'thumbs');
  // Images without a recorded size must be made now (their size goes into the pages). The rest
  // are made by src/site/build.ts while Astro renders, in the background in dev, or here otherwise.
  const urgent = await ensureThumbnails(thumbsDir, plan.unknown);
  for (const [hex, info] of urgent.thumbs) thumbs.set(hex, info);
  for (const [hex, message] of urgent.failed) logger.warn(`thumbnail for sha256:${hex} failed: ${message}`);
  const missing = new Map([...plan.images].filter(([hex]) => !plan.unknown.has(hex)));
  let made = urgent.made;
  if (shared?.thumbnails !== 'external') {
    const rest = ensureThumbnails(thumbsDir, missing).then((run) => {
      for (const [hex, message] of run.failed) logger.warn(`thumbnail for sha256:${hex} failed: ${message}`);
      return run.made;
    });
    if (watcher) void rest;
    else made += await rest;
  }

  // Links in notes go to other records and files: a record renders again when any link target moves.
  const { files } = await discover(root);
  const noteFiles = planNoteFiles(root, files);
  const base = resolveSiteLocation(root).base;
  const links = siteLinks(result.index, files, noteFiles, base);
  const linkSig = linkSignature(result, noteFiles, base);
  const tagSig = tagSignature(result, base);
  plan.assets.files = Object.fromEntries([...noteFiles].map(([rel, site]) => [site, rel]).sort(([a], [b]) => (a! < b! ? -1 : 1)));

  const previous = loadRecords(root);
  const records = new Map<string, StoredRecord>();
  const hasNotes = storedNotes(root);
  const put = (id: string, record: JournalRecord, digestOf: unknown, fill?: () => void, text = '', from = '') => {
    // Only text that can hold a journal link depends on the rest of the journal; text that embeds
    // notes depends on theirs too (and on whatever their text links to).
    const embedded = embedSignature(text, from, links);
    const linked = `${MAY_LINK.test(text) ? linkSig : ''}${MAY_TAG.test(text) || embedded ? tagSig : ''}${embedded}`;
    const digest = generateDigest(`${RECORD_VERSION}\n${linked}\n${JSON.stringify(digestOf)}`);
    const stored = previous.get(id);
    // A kept entry's notes live in .lab/site/notes/, which can be gone while the records are not
    // (a CI cache of one without the other, a deleted .lab/site/notes): then the record is made again.
    if (stored?.digest === digest && (stored.data.kind !== 'entry' || hasNotes(stored.data.entry.notes_ref))) {
      records.set(id, stored);
      return;
    }
    fill?.();
    records.set(id, { digest, data: record });
  };

  const entryDates = new Map<string, string>();
  for (const entry of result.index.entries) {
    const date = entry.created ?? entry.execution?.completed_at ?? null;
    if (date && (entryDates.get(entry.page_id) ?? '') < date) entryDates.set(entry.page_id, date);
  }

  for (const notebook of result.index.notebooks) {
    // Raw Markdown stays out of the records (the site shows the rendered HTML): they are kept
    // in memory while the pages render and written to .lab/site/records.json.
    const record = { kind: 'notebook' as const, notebook: { ...notebook, overview: '', source: slimSource(notebook.source), overview_html: '' } };
    put(
      `notebook:${notebook.id}`,
      record,
      notebook,
      () => {
        record.notebook.overview_html = polishHtml(notebookHtml(notebook, links), 'Table in the overview');
      },
      notebook.overview,
      notebook.source.path,
    );
  }
  for (const page of result.index.pages) {
    const record = {
      kind: 'page' as const,
      page: { ...page, narrative: emptyNarrative(page), source: slimSource(page.source), narrative_html: {}, last_activity: lastActivity(page, entryDates) },
    };
    put(
      `page:${page.id}`,
      record,
      // The last activity comes from the page's entries, which the page itself does not record.
      { page, last_activity: record.page.last_activity },
      () => {
        const html = pageHtml(page, links);
        for (const [key, text] of Object.entries(html)) html[key] = polishHtml(text, `Table in ${key.replace('_', ' ')}`);
        record.page.narrative_html = html;
      },
      Object.values(page.narrative).join('\n'),
      page.source.path,
    );
  }
  const sidecars = new Map(
    findResultSidecars(root, result.index)
      .filter((s) => s.exists)
      .map((s) => [s.entry, s.sidecar]),
  );
  for (const entry of result.index.entries) {
    const site_artifacts = entry.artifacts.map((a) => siteArtifact(root, a, blobs, thumbs));
    const cover = site_artifacts.find((a) => a.thumb)?.thumb ?? null;
    const site: SiteEntry = {
      ...entry,
      metadata: { ...entry.metadata, notes: '' },
      artifacts: [], // the pages use site_artifacts
      source: slimSource(entry.source),
      notes_ref: null,
      excerpt: '',
      site_artifacts,
      cover,
      site_logs: [],
      run_note: runNote(root, entry, sidecars.get(entry.source.path)),
      // Read now, not when the record is made: a query file can change while its entry does not.
      site_query: entryQuery(root, entry),
    };
    put(
      `entry:${entry.id}`,
      { kind: 'entry', entry: site },
      // Logs are read from their blobs when the record is made: one that arrives later must make it again.
      { entry, site_artifacts, run_note: site.run_note, site_query: site.site_query, logs: Object.values(entry.logs).map((h) => blobs.has(blobHex(h) ?? '')) },
      () => {
        const notes = polishHtml(entryHtml(entry, links), 'Table in the notes');
        site.notes_ref = putNotesHtml(root, notes);
        site.excerpt = htmlExcerpt(notes);
        site.site_logs = readLogs(root, entry, blobs);
      },
      entry.metadata.notes,
      entry.source.path,
    );
  }

  const location = resolveSiteLocation(root);
  const meta: SiteMeta = {
    name: location.name,
    tool: VERSION,
    repository: location.repository ?? null,
    publish: location.publish,
    root,
    tags: result.index.tags,
    history: readHistory(root),
    problems: {
      errors: result.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
    },
  };
  put('meta', { kind: 'meta', meta }, meta);

  // Astro's store holds only the records' combined digest: the pages read the records from
  // src/site/records-store.ts, and in `astro dev` a new digest reloads them.
  const digest = await saveRecords(root, records);
  if (store.get(RECORDS_ID)?.digest !== digest) store.set({ id: RECORDS_ID, data: { digest }, digest });
  for (const id of store.keys()) if (id !== RECORDS_ID) store.delete(id);
  const notesUsed = new Set<string>();
  for (const { data } of records.values()) {
    if (data.kind === 'entry' && data.entry.notes_ref) notesUsed.add(data.entry.notes_ref);
  }
  pruneNotesHtml(root, notesUsed);
  writeAssets(root, plan.assets);
  logger.info(
    `${result.index.notebooks.length} notebooks, ${result.index.pages.length} pages, ${result.index.entries.length} entries; ` +
      `${made} new thumbnails (${thumbs.size} total) in ${Math.round(performance.now() - started)} ms`,
  );
}

/** What the entry page says about a run that is stuck or a result that waits in a sidecar. */
function runNote(root: string, entry: Entry, sidecar: string | undefined): SiteEntry['run_note'] {
  const state = runningState(root, entry);
  const since = entry.execution?.started_at ? ` since ${entry.execution.started_at}` : '';
  if (state?.state === 'stuck')
    return {
      stuck: true,
      message: `Marked running${since}, but no runner is running it (it was stopped or crashed). Run it again with \`lab run ${entry.source.path}\`.`,
    };
  if (state?.state === 'elsewhere')
    return { stuck: false, message: `Marked running${since} on host ${state.host}; this build cannot tell whether that run is still alive.` };
  if (sidecar) return { stuck: false, message: `A run's result was saved to ${sidecar} because the entry was edited while it ran; it has not been applied.` };
  return null;
}

/** Wikilinks, Markdown links, Org `[[…]]` links, or a hyphenated word that may be a record's id. */
const MAY_LINK = /\[\[|\]\(|[\p{L}\p{N}]-[\p{L}\p{N}]/u;

/** A `#tag` in Markdown or an Org headline's `:tags:`: text that links to tag pages. */
const MAY_TAG = /#[\p{L}\p{N}_/-]|:[\p{L}\p{N}_@#%:]+:[ \t]*$/mu;

/** Changes whenever a tag's page moves: a tag appears or goes (slugs are made from the whole set), or the base. */
function tagSignature(result: CompileResult, base: string): string {
  const h = createHash('sha1').update(`${base}\n`);
  for (const [tag, slug] of tagSlugMap(Object.keys(result.index.tags))) h.update(`${tag}\0${slug}\n`);
  return h.digest('hex');
}

/** Changes whenever a link in some note could resolve differently: ids, titles, paths, published files, base. */
function linkSignature(result: CompileResult, noteFiles: Map<string, string>, base: string): string {
  const h = createHash('sha1').update(`${base}\n`);
  for (const n of result.index.notebooks) h.update(`n\0${n.id}\0${n.title}\0${n.source.path}\n`);
  for (const p of result.index.pages) h.update(`p\0${p.id}\0${p.title}\0${p.source.path}\n`);
  for (const e of result.index.entries) h.update(`e\0${e.id}\0${e.title}\0${e.source.path}\n`);
  for (const [rel, site] of noteFiles) h.update(`f\0${rel}\0${site}\n`);
  return h.digest('hex');
}

function slimSource(source: SourceRef): SourceRef {
  return { ...source, key_lines: {} };
}

function emptyNarrative(page: Page): Page['narrative'] {
  const out = { ...page.narrative };
  for (const key of Object.keys(out) as (keyof Page['narrative'])[]) out[key] = null;
  return out;
}

/** Prints problems like `lab check` does, at most 50 lines, so a broken journal is noticed at build time. */
function reportDiagnostics(result: CompileResult, print: (line: string) => void): void {
  const shown = result.diagnostics.slice(0, 50);
  for (const d of shown) print(formatDiagnostic(d));
  if (result.diagnostics.length > shown.length) print(`… and ${result.diagnostics.length - shown.length} more (run \`lab check\`)`);
}

function lastActivity(page: Page, entryDates: Map<string, string>): string | null {
  const newest = entryDates.get(page.id) ?? null;
  if (!page.date) return newest;
  return newest && newest > page.date ? newest : page.date;
}

const EMPTY_HISTORY: HistoryIndex = { version: 1, head: null, entries: {}, pages: {}, notebooks: {} };

/** `.lab/history.json` when the git helper wrote one; an empty history otherwise (no repository). */
function readHistory(root: string): HistoryIndex {
  try {
    const value = JSON.parse(readFileSync(path.join(root, '.lab', 'history.json'), 'utf8')) as HistoryIndex;
    if (value && value.version === 1) {
      return { version: 1, head: value.head ?? null, entries: value.entries ?? {}, pages: value.pages ?? {}, notebooks: value.notebooks ?? {} };
    }
  } catch {
    /* absent or unreadable: no history */
  }
  return EMPTY_HISTORY;
}

/** `.lab/site/assets.json`: what the dev server serves under `api/` (artifact and thumbnail URLs). */
function writeAssets(root: string, assets: SiteAssets): void {
  const dir = path.join(root, '.lab', 'site');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'assets.json');
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, JSON.stringify(assets) + '\n');
  renameSync(tmp, file);
}
