/**
 * The Pagefind bundles. The entries' bundles (search-records.ts) are built one after another in
 * Pagefind's own process while Astro renders — each index is deleted once written, so the indexer
 * holds one bundle at a time — into a cache folder, where an unchanged bundle is found again by the
 * next build. At the end the main bundle (notebooks, pages, and the Codex session pages, `lab/`,
 * marked `kind:session` in their HTML) is built, and all of them go into `<out>/pagefind/`: the
 * main bundle at its root, the others under
 * `shards/<name>/`, listed in `pagefind/shards.json`. The search page merges them with
 * `mergeIndex`. Record URLs are relative to the site root, like Pagefind's own, and the search
 * page passes the base as `baseUrl`.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalIndex } from '../core/model.ts';
import type { SiteAssets } from './assets.ts';
import { planSearch, SHARD_RECORDS, type SearchRecord } from './search-records.ts';

type Pagefind = typeof import('pagefind');

export interface SearchIndexing {
  /** Adds the built session pages, writes `<out>/pagefind/`; returns the number of records. */
  finish(out: string): Promise<number>;
  /** The entries' bundles written by this build and reused from an earlier one (final once `finish` resolves). */
  bundles: { built: number; reused: number };
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
 * Fragment files (one result's text each, until Pagefind bundles them): past a few hundred pages a
 * bundle puts about five in a file — writing and publishing 10,000 small files costs more than the
 * slightly larger downloads per result. 10,000 entries make about 2,000 files.
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
 * Fragment files per bundle: one per page up to 200 pages, then about five pages a file. Depends on
 * the bundle alone, so a bundle whose records did not change keeps its key.
 */
const fragmentsFor = (size: number) => Math.max(1, Math.min(size, Math.max(FRAGMENT_FILES / 10, Math.ceil(size / 5))));

/** Pagefind's version: a bundle written by another version is not reused. */
const PAGEFIND_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('pagefind')), 'utf8')) as { version: string }).version;

/**
 * Starts building the entries' bundles into `cacheDir/bundles/<key>/`, where `key` hashes the
 * bundle's records (and Pagefind's version and settings): a bundle whose records did not change
 * since an earlier build is reused as it is. `finish` builds the main bundle and copies everything
 * into `<out>/pagefind/`, then drops the cached bundles this build did not use. `maxRecords` is
 * the entries per bundle. Resolves once Pagefind's process runs: it keeps the working folder it
 * was started in, and every new index needs that folder to exist (Astro's build changes folder for
 * a while).
 */
export async function startSearchIndex(
  index: JournalIndex,
  assets: SiteAssets,
  base: string,
  cacheDir: string,
  maxRecords = SHARD_RECORDS,
): Promise<SearchIndexing> {
  const pagefind = await import('pagefind');
  const plan = planSearch(index, assets, base, maxRecords);
  const bundles = path.join(cacheDir, 'bundles');
  const staging = path.join(cacheDir, `main-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(bundles, { recursive: true });
  const t0 = performance.now();
  const debug = process.env.LAB_DEBUG_SEARCH ? (what: string) => console.error(`search: ${what} at ${Math.round(performance.now() - t0)} ms`) : () => {};
  const mainSize = index.notebooks.length + index.pages.length;
  // Opened now so that Pagefind's process runs before Astro changes folder (see above).
  const firstFragments = fragmentsFor(plan.shards[0]?.size ?? mainSize);
  let next: PagefindIndex | null = await openIndex(pagefind, firstFragments);
  const take = async (size: number) => {
    const open = next;
    next = null;
    // When the first shard was reused, the index opened early may have another fragment count
    // than the bundle that takes it, and its fragment files would differ from a clean build's.
    if (open && fragmentsFor(size) === firstFragments) return open;
    await open?.deleteIndex();
    return openIndex(pagefind, fragmentsFor(size));
  };
  const stats = { built: 0, reused: 0 };
  const keys = new Map<string, string>();
  const shards = (async () => {
    let records = 0;
    for (const shard of plan.shards) {
      const list = shard.records();
      const key = createHash('sha256')
        .update(JSON.stringify({ pagefind: PAGEFIND_VERSION, fragments: fragmentsFor(shard.size), records: list }))
        .digest('hex')
        .slice(0, 32);
      keys.set(shard.name, key);
      records += list.length;
      const dir = path.join(bundles, key);
      if (existsSync(dir)) {
        stats.reused++;
        continue;
      }
      // Written aside and renamed: a bundle in the cache is always whole.
      const partial = `${dir}.partial-${process.pid}`;
      rmSync(partial, { recursive: true, force: true });
      await writeBundle(await take(shard.size), list, partial);
      pruneShard(partial);
      try {
        renameSync(partial, dir);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another build wrote the same bundle first
      }
      stats.built++;
      debug(`bundle ${shard.name} written (${shard.size} entries)`);
    }
    return records;
  })();
  // Observed in finish(); without this an early failure would be an unhandled rejection.
  shards.catch(() => {});
  return {
    bundles: stats,
    async finish(out: string) {
      debug('finish requested');
      try {
        const entries = await shards;
        const main = await writeBundle(await take(mainSize), plan.main(), staging, out);
        debug('main bundle written');
        const target = path.join(out, 'pagefind');
        rmSync(target, { recursive: true, force: true });
        renameSync(staging, target);
        const manifest: ShardManifest = { shards: [] };
        for (const shard of plan.shards) {
          linkTree(path.join(bundles, keys.get(shard.name)!), path.join(target, 'shards', shard.name));
          manifest.shards.push(`shards/${shard.name}/`);
        }
        writeFileSync(path.join(target, 'shards.json'), `${JSON.stringify(manifest)}\n`);
        // Only this build's bundles stay cached (and other builds' unfinished ones).
        const used = new Set(keys.values());
        for (const name of readdirSync(bundles))
          if (!used.has(name) && !name.includes('.partial-')) rmSync(path.join(bundles, name), { recursive: true, force: true });
        debug(`${stats.built} bundles built, ${stats.reused} reused`);
        return entries + main;
      } finally {
        rmSync(staging, { recursive: true, force: true });
        await pagefind.close();
      }
    },
  };
}

/**
 * Puts a cached bundle's files into the output as hard links (copies across file systems): a
 * cached bundle is never changed, only replaced whole or deleted, and at 100,000 entries copying
 * its 20,000 files was most of the search stage of a rebuild.
 */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const item of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, item.name);
    const target = path.join(to, item.name);
    if (item.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
