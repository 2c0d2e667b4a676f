/**
 * The content-layer loader: the site's only way to the journal. It calls the compiler
 * (`compile(root)` from src/core/compile.ts), makes the missing thumbnails, renders every
 * note and narrative to sanitized HTML and puts one record per notebook, page and entry
 * (plus one `meta` record) in the `journal` collection. Records whose source did not
 * change keep their rendered HTML (digest check), so rebuilds render only what changed.
 * In `astro dev` it watches `content/` and `.lab/history.json` and reloads on change.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import { compile } from '../core/compile.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import type { CompileResult, Entry, Page, SourceRef } from '../core/model.ts';
import { planAssets, type SiteAssets } from './assets.ts';
import { readLogs, siteArtifact } from './artifacts.ts';
import { workspaceRoot, resolveSiteLocation } from './config.ts';
import { htmlExcerpt, renderText } from './markdown.ts';
import { polishHtml } from './html-post.ts';
import { entryQuery } from './sql-text.ts';
import { ensureThumbnails } from './thumbnails.ts';
import type { HistoryIndex, JournalRecord, SiteEntry, SiteMeta } from './types.ts';


const watching = new WeakSet<object>();
/** Bumped when the shape of the stored records changes, so old stores are not reused. */
const RECORD_VERSION = 5;

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
 * Set by scripts/build.ts (same process) so the loader reuses its compile result instead of
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
  // are made by scripts/build.ts while Astro renders, in the background in dev, or here otherwise.
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

  const seen = new Set<string>();
  const put = (id: string, record: JournalRecord, digestOf: unknown, fill?: () => void) => {
    seen.add(id);
    const digest = generateDigest(`${RECORD_VERSION}\n${JSON.stringify(digestOf)}`);
    if (store.get(id)?.digest === digest) return;
    fill?.();
    store.set({ id, data: record as unknown as Record<string, unknown>, digest });
  };

  const entryDates = new Map<string, string>();
  for (const entry of result.index.entries) {
    const date = entry.created ?? entry.execution?.completed_at ?? null;
    if (date && (entryDates.get(entry.page_id) ?? '') < date) entryDates.set(entry.page_id, date);
  }

  for (const notebook of result.index.notebooks) {
    // Raw Markdown stays out of the store (the site shows the rendered HTML): a smaller store
    // is faster for Astro to write, bundle and load.
    const record = { kind: 'notebook' as const, notebook: { ...notebook, overview: '', source: slimSource(notebook.source), overview_html: '' } };
    put(`notebook:${notebook.id}`, record, notebook, () => {
      record.notebook.overview_html = polishHtml(renderText(notebook.overview, notebook.source.format), 'Table in the overview');
    });
  }
  for (const page of result.index.pages) {
    const record = {
      kind: 'page' as const,
      page: { ...page, narrative: emptyNarrative(page), source: slimSource(page.source), narrative_html: {}, last_activity: lastActivity(page, entryDates) },
    };
    put(`page:${page.id}`, record, page, () => {
      const html: Record<string, string> = {};
      for (const [key, text] of Object.entries(page.narrative)) html[key] = polishHtml(renderText(text, page.source.format), `Table in ${key.replace('_', ' ')}`);
      record.page.narrative_html = html;
    });
  }
  for (const entry of result.index.entries) {
    const site_artifacts = entry.artifacts.map((a) => siteArtifact(root, a, blobs, thumbs));
    const cover = site_artifacts.find((a) => a.thumb)?.thumb ?? null;
    const site: SiteEntry = {
      ...entry,
      metadata: { ...entry.metadata, notes: '' },
      artifacts: [], // the pages use site_artifacts
      source: slimSource(entry.source),
      notes_html: '',
      excerpt: '',
      site_artifacts,
      cover,
      site_logs: [],
      site_query: null,
    };
    put(`entry:${entry.id}`, { kind: 'entry', entry: site }, { entry, site_artifacts }, () => {
      site.notes_html = polishHtml(renderText(entry.metadata.notes, entry.source.format), 'Table in the notes');
      site.excerpt = htmlExcerpt(site.notes_html);
      site.site_logs = readLogs(root, entry, blobs);
      site.site_query = entryQuery(root, entry);
    });
  }

  const location = resolveSiteLocation(root);
  const meta: SiteMeta = {
    name: location.name,
    repository: location.repository ?? null,
    publish: location.publish,
    root,
    lineage: result.lineage,
    tags: result.index.tags,
    history: readHistory(root),
    problems: {
      errors: result.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
    },
  };
  put('meta', { kind: 'meta', meta }, meta);

  for (const id of store.keys()) if (!seen.has(id)) store.delete(id);
  writeAssets(root, plan.assets);
  logger.info(
    `${result.index.notebooks.length} notebooks, ${result.index.pages.length} pages, ${result.index.entries.length} entries; ` +
      `${made} new thumbnails (${thumbs.size} total) in ${Math.round(performance.now() - started)} ms`,
  );
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
export function reportDiagnostics(result: CompileResult, print: (line: string) => void): void {
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
export function readHistory(root: string): HistoryIndex {
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
