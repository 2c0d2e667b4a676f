/**
 * The Pagefind bundles. The entries' bundles (search-records.ts) are built one after another in
 * Pagefind's own process while Astro renders — each index is deleted once written, so the indexer
 * holds one bundle at a time — into a staging folder. At the end the main bundle (notebooks, pages,
 * and the Codex session pages, `lab/`, marked `kind:session` in their HTML) is built, and all of
 * them move into `<out>/pagefind/`: the main bundle at its root, the others under
 * `shards/<name>/`, listed in `pagefind/shards.json`. The search page merges them with
 * `mergeIndex`. Record URLs are relative to the site root, like Pagefind's own, and the search
 * page passes the base as `baseUrl`.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalIndex } from '../core/model.ts';
import type { SiteAssets } from './assets.ts';
import { planSearch, SHARD_RECORDS, type SearchRecord } from './search-records.ts';

type Pagefind = typeof import('pagefind');

export interface SearchIndexing {
  /** Adds the built session pages, writes `<out>/pagefind/`; returns the number of records. */
  finish(out: string): Promise<number>;
}

/** The list of merged bundles the search page reads, relative to `pagefind/`. */
interface ShardManifest {
  /** One folder per bundle, e.g. `shards/nb-ai-art/`, in build order. */
  shards: string[];
}

/** What a merged bundle needs: the search code and its WebAssembly come from the main bundle. */
const SHARD_KEEPS = /^(pagefind-entry\.json|.*\.pf_meta|index|filter|fragment)$/;

type PagefindIndex = NonNullable<Awaited<ReturnType<Pagefind['createIndex']>>['index']>;

/**
 * Fragment files (one result's text each, until Pagefind bundles them) in all bundles together:
 * past 2,000 pages, fragments are bundled a few per file — writing and publishing 10,000 small
 * files costs more than the slightly larger downloads per result.
 */
const FRAGMENT_FILES = 2000;

/** A fresh, empty index in Pagefind's process (started on the first call), writing at most `maxFragments` fragment files. */
export async function openIndex(pagefind: Pagefind, maxFragments = FRAGMENT_FILES): Promise<PagefindIndex> {
  const created = await pagefind.createIndex({ maxFragments });
  if (!created.index) throw new Error(`pagefind: ${created.errors.join('; ')}`);
  return created.index;
}

/**
 * Fills an open index, writes its bundle to `outputPath` and deletes the index, so its memory is
 * given back before the next. `htmlDir` adds the session pages found there.
 */
export async function writeBundle(pf: PagefindIndex, records: SearchRecord[], outputPath: string, htmlDir?: string): Promise<number> {
  const failures: string[] = [];
  try {
    // All requests are queued at once: Pagefind works through them in its own process.
    for (const r of await Promise.all(records.map((record) => pf.addCustomRecord(record)))) failures.push(...r.errors);
    let pages = 0;
    if (htmlDir) {
      const lab = await pf.addDirectory({ path: htmlDir, glob: 'lab/**/*.html' });
      failures.push(...lab.errors);
      pages = lab.page_count;
    }
    const written = await pf.writeFiles({ outputPath });
    failures.push(...written.errors);
    if (failures.length) throw new Error(`pagefind: ${failures.slice(0, 5).join('; ')}`);
    return records.length + pages;
  } finally {
    await pf.deleteIndex();
  }
}

/** Removes what a merged bundle does not use (its own copy of the search code, UI and WebAssembly). */
function pruneShard(dir: string): void {
  for (const name of readdirSync(dir)) if (!SHARD_KEEPS.test(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
}

/**
 * Starts building the entries' bundles into `staging` (emptied first); `finish` builds the main
 * bundle and moves everything into `<out>/pagefind/`. `maxRecords` is the entries per bundle.
 * Resolves once Pagefind's process runs: it keeps the working folder it was started in, and every
 * new index needs that folder to exist (Astro's build changes folder for a while).
 */
export async function startSearchIndex(
  index: JournalIndex,
  assets: SiteAssets,
  base: string,
  staging: string,
  maxRecords = SHARD_RECORDS,
): Promise<SearchIndexing> {
  const pagefind = await import('pagefind');
  const plan = planSearch(index, assets, base, maxRecords);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const t0 = performance.now();
  const debug = process.env.LAB_DEBUG_SEARCH ? (what: string) => console.error(`search: ${what} at ${Math.round(performance.now() - t0)} ms`) : () => {};
  // Each bundle's share of the fragment files, by its share of the records.
  const mainSize = index.notebooks.length + index.pages.length;
  const total = mainSize + plan.shards.reduce((n, s) => n + s.size, 0);
  const fragments = (size: number) => Math.max(1, Math.ceil((FRAGMENT_FILES * size) / Math.max(1, total)));
  let next: PagefindIndex | null = await openIndex(pagefind, fragments(plan.shards[0]?.size ?? mainSize));
  const take = async (size: number) => {
    const open = next ?? (await openIndex(pagefind, fragments(size)));
    next = null;
    return open;
  };
  const shards = (async () => {
    let records = 0;
    for (const shard of plan.shards) {
      records += await writeBundle(await take(shard.size), shard.records(), path.join(staging, 'shards', shard.name));
      debug(`bundle ${shard.name} written (${shard.size} entries)`);
    }
    return records;
  })();
  // Observed in finish(); without this an early failure would be an unhandled rejection.
  shards.catch(() => {});
  return {
    async finish(out: string) {
      debug('finish requested');
      try {
        const entries = await shards;
        const main = await writeBundle(await take(mainSize), plan.main(), path.join(staging, 'main'), out);
        debug('main bundle written');
        const target = path.join(out, 'pagefind');
        rmSync(target, { recursive: true, force: true });
        renameSync(path.join(staging, 'main'), target);
        const manifest: ShardManifest = { shards: [] };
        if (plan.shards.length) {
          mkdirSync(path.join(target, 'shards'));
          for (const shard of plan.shards) {
            const dir = path.join(target, 'shards', shard.name);
            renameSync(path.join(staging, 'shards', shard.name), dir);
            pruneShard(dir);
            manifest.shards.push(`shards/${shard.name}/`);
          }
        }
        writeFileSync(path.join(target, 'shards.json'), `${JSON.stringify(manifest)}\n`);
        return entries + main;
      } finally {
        rmSync(staging, { recursive: true, force: true });
        await pagefind.close();
      }
    },
  };
}
