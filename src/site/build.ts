/**
 * `lab build`: compile the journal, index git history, build the Astro site (whose
 * content-layer loader calls the compiler and makes thumbnails), copy the linked blobs and
 * thumbnails, write the static JSON API, and index everything with Pagefind — into `dist/`.
 *
 * Environment: LAB_SITE / LAB_BASE (origin and sub-path for GitHub Pages) override
 * lab.config.yaml. Fails when the journal has errors (they are printed as
 * `path:line:col: severity: message`) unless `allowErrors`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { copyFile, link, mkdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatDiagnostic, hasErrors, LabError } from '../core/diagnostics.ts';
import type { CompileResult } from '../core/model.ts';
import { compile } from '../sdk/journal.ts';
import { planAssets, type SiteAssets } from './assets.ts';
import { assertSiteToolchain, astroConfig } from './astro-config.ts';
import { publishedBlobPath } from './blobs.ts';
import { clearStamp, inputsDigest, upToDate, writeStamp } from './build-stamp.ts';
import { resolveSiteLocation } from './config.ts';
import { SHARED_BUILD, type SharedBuild } from './loader.ts';
import { incrementalOutputs, markBuildStart, sweepOutput } from './output-sweep.ts';
import { ensureThumbnails } from './thumbnails.ts';

export interface BuildTimings {
  compile: number;
  history: number;
  astro: number;
  thumbnails: number;
  assets: number;
  api: number;
  search: number;
  total: number;
  pages: number;
  thumbnailsMade: number;
  /** True when nothing changed since the last build into the same folder, which was left as it is (src/site/build-stamp.ts). */
  upToDate: boolean;
}

/**
 * Runs the whole pipeline; returns the time each stage took (ms). While Astro renders on the main
 * thread, the other core makes thumbnails (sharp's threads), builds the search index (Pagefind's
 * process) and writes the JSON API (a worker thread).
 */
export async function buildSite(options: { root: string; out?: string; allowErrors?: boolean; quiet?: boolean; force?: boolean }): Promise<BuildTimings> {
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const root = path.resolve(options.root);
  const out = path.resolve(options.out ?? path.join(root, 'dist'));
  process.env.LAB_ROOT = root;
  const t0 = performance.now();
  const times: Partial<BuildTimings> = {};
  let t = t0;
  const lap = (key: Exclude<keyof BuildTimings, 'upToDate'>) => {
    const now = performance.now();
    times[key] = Math.round(now - t);
    t = now;
    log(`build: ${key} ${times[key]} ms`);
  };

  const result = await compile(root);
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (hasErrors(result.diagnostics) && !options.allowErrors) {
    throw new BuildError(`the journal has errors (${result.diagnostics.filter((d) => d.severity === 'error').length}); fix them or pass --allow-errors`);
  }
  lap('compile');

  await writeHistory(root, log);
  lap('history');

  const location = resolveSiteLocation(root);
  const inputs = inputsDigest({ root, out, location, result });
  const previous = options.force ? null : upToDate(root, out, inputs);
  if (previous) {
    const total = Math.round(performance.now() - t0);
    log(`build: nothing changed since the last build; ${path.relative(process.cwd(), out) || '.'} is up to date (${total} ms)`);
    return {
      compile: 0,
      history: 0,
      astro: 0,
      thumbnails: 0,
      assets: 0,
      api: 0,
      search: 0,
      ...times,
      total,
      pages: previous.pages,
      thumbnailsMade: 0,
      upToDate: true,
    };
  }
  clearStamp(root);
  assertSiteToolchain(root);
  const plan = planAssets(root, result.index);
  const shared: SharedBuild = { root, result, thumbnails: 'external' };
  (globalThis as Record<symbol, unknown>)[SHARED_BUILD] = shared;
  const thumbnails = ensureThumbnails(path.join(root, '.lab', 'thumbs'), plan.images);
  // Kept between builds: the search bundles of notebooks whose entries did not change are reused.
  const searchDir = path.join(root, '.lab', 'site', 'search');
  // The API goes straight into the kept output; only files that changed are written.
  const worker = startBuildWorker(
    result,
    plan.assets,
    location.base,
    {
      apiDir: path.join(out, 'api'),
      apiManifest: path.join(root, '.lab', 'site', 'api-manifest.json'),
      searchDir,
    },
    root,
  );

  try {
    return await renderAndFinish();
  } catch (error) {
    // The worker thread would keep the process alive after a failed build.
    await worker.stop();
    throw error;
  }

  async function renderAndFinish(): Promise<BuildTimings> {
    // The previous output stays: Astro's incremental build leaves unchanged pages in place, and
    // what this build does not produce again is swept at the end (src/site/output-sweep.ts).
    await mkdir(out, { recursive: true });
    const since = markBuildStart(path.join(root, '.lab', 'site', `build-start-${process.pid}`));
    const { build } = await import('astro');
    // Pagefind's process must start in the current folder, not in Astro's scratch folder (removed below).
    await worker.ready;
    const config = astroConfig({ root, out, location });
    // Astro writes its intermediate server chunks under `<cwd>/.astro/` when the output is outside
    // the current directory. A scratch folder per journal inside Astro's root keeps two journals'
    // concurrent builds apart, and the chunks still resolve the root's node_modules.
    const cwd = process.cwd();
    const scratch = path.join(String(config.root), '.lab', 'astro-build', createHash('sha256').update(root).digest('hex').slice(0, 12));
    await mkdir(scratch, { recursive: true });
    process.chdir(scratch);
    try {
      await build({
        ...config,
        vite: { ...config.vite, build: { ...config.vite?.build, emptyOutDir: false } },
        logLevel: process.env.LAB_ASTRO_LOG === 'info' ? 'info' : options.quiet ? 'error' : 'warn',
        mode: 'production',
      });
    } finally {
      process.chdir(cwd);
      rmSync(scratch, { recursive: true, force: true });
      delete (globalThis as Record<symbol, unknown>)[SHARED_BUILD];
    }
    lap('astro');

    const thumbRun = await thumbnails;
    for (const [hex, message] of thumbRun.failed) console.error(`thumbnail for sha256:${hex} failed: ${message}`);
    lap('thumbnails');
    const placed = await copyAssets(root, out, plan.assets, thumbRun.failed);
    await worker.api;
    lap('assets');

    // Pagefind does not rewrite a file it finds unchanged, and the sweep below would take such a
    // file for a leftover: the index is written into an empty folder.
    await rm(path.join(out, 'pagefind'), { recursive: true, force: true });
    const pages = await worker.finish(out);
    const keep = new Set([...incrementalOutputs(path.join(String(config.cacheDir), 'incremental-build.json')), ...placed]);
    // The API writer deletes its own stale files and Pagefind wrote into an empty folder: half the
    // output's folders need no walk.
    const swept = sweepOutput(out, since, keep, ['api', 'pagefind']);
    rmSync(path.join(root, '.lab', 'site', `build-start-${process.pid}`), { force: true });
    if (swept) log(`build: removed ${swept} files of the previous build`);
    writeStamp(root, { out, inputs, pages });
    lap('search');
    times.total = Math.round(performance.now() - t0);
    times.pages = pages;
    times.thumbnailsMade = thumbRun.made;
    times.upToDate = false;
    log(`build: ${pages} pages indexed, ${thumbRun.made} thumbnails made, ${times.total} ms total → ${path.relative(process.cwd(), out) || '.'}`);
    return times as BuildTimings;
  }
}

/** Starts build-worker.ts (or .js once compiled): the JSON API, the search index and the charts, on the other core. */
function startBuildWorker(
  result: CompileResult,
  assets: SiteAssets,
  base: string,
  dirs: { apiDir: string; apiManifest: string; searchDir: string },
  root: string,
) {
  const worker = new Worker(new URL(`./build-worker${path.extname(import.meta.filename)}`, import.meta.url), {
    workerData: { index: result.index, lineage: result.lineage, assets, base, ...dirs, root },
  });
  type ApiMessage = { kind: 'api'; files: number; written: number };
  type SearchMessage = { kind: 'search'; records: number };
  type Message = { kind: 'ready' } | ApiMessage | SearchMessage | { kind: 'error'; message: string };
  const waiters = new Map<string, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const settled = new Map<string, Message>();
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    for (const w of waiters.values()) w.reject(error);
    waiters.clear();
  };
  worker.on('message', (m: Message) => {
    if (m.kind === 'error') return fail(new BuildError(m.message));
    settled.set(m.kind, m);
    waiters.get(m.kind)?.resolve(m);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) fail(new BuildError(`the build worker exited with code ${code}`));
  });
  const wait = (kind: string) =>
    new Promise<Message>((resolve, reject) => {
      if (failure) return reject(failure);
      if (settled.has(kind)) return resolve(settled.get(kind)!);
      waiters.set(kind, { resolve, reject });
    });
  const api = wait('api') as Promise<ApiMessage>;
  api.catch(() => {}); // observed later; a failure also rejects finish()
  const ready = wait('ready');
  ready.catch(() => {}); // observed before rendering; a failure also rejects finish()
  return {
    api,
    ready,
    async finish(out: string): Promise<number> {
      worker.postMessage({ kind: 'finish', out });
      const { records } = (await wait('search')) as SearchMessage;
      await worker.terminate();
      return records;
    },
    async stop(): Promise<void> {
      await worker.terminate();
    },
  };
}

/** A build that cannot go on for a reason in the journal (its errors), not a bug. */
export class BuildError extends LabError {}

async function writeHistory(root: string, log: (line: string) => void): Promise<void> {
  let mod: { writeHistoryIndex?: (root: string) => Promise<void> };
  try {
    mod = await import('../git/history.ts');
  } catch {
    log('build: git history module not available; pages show no history');
    return;
  }
  try {
    await mod.writeHistoryIndex?.(root);
  } catch (error) {
    // Not a git repository (or an unreadable one): the site simply has no history.
    log(`build: no git history (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * Blobs are immutable (content-addressed), so a hard link is as good as a copy and costs nothing;
 * one already linked by the previous build stays.
 */
async function place(from: string, to: string): Promise<void> {
  const [source, target] = await Promise.all([stat(from), stat(to).catch(() => null)]);
  if (target && target.ino === source.ino && target.dev === source.dev) return;
  if (target) await unlink(to);
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/** Links the blobs, thumbnails and note files into `out`; returns where they went, relative to `out`. */
async function copyAssets(root: string, out: string, assets: SiteAssets, failed: Map<string, string>): Promise<string[]> {
  const jobs: [string, string][] = [];
  // Active types (HTML, SVG…) are published under a download-only name: they must not run in the site's origin.
  for (const rel of Object.values(assets.blobs)) jobs.push([path.join(root, 'content', 'blobs', rel), path.join(out, 'blobs', publishedBlobPath(rel))]);
  for (const [hex, file] of Object.entries(assets.thumbs)) {
    if (!failed.has(hex)) jobs.push([path.join(root, '.lab', 'thumbs', file), path.join(out, 'thumbs', file)]);
  }
  for (const [site, rel] of Object.entries(noteFilesOf(root))) jobs.push([path.join(root, rel), path.join(out, decodeURIComponent(site))]);
  for (const dir of new Set(jobs.map(([, to]) => path.dirname(to)))) await mkdir(dir, { recursive: true });
  await mapLimit(jobs, 16, ([from, to]) => place(from, to));
  return jobs.map(([, to]) => path.relative(out, to).split(path.sep).join('/'));
}

/** Files the notes link to, as the loader published them (`.lab/site/assets.json`, written while Astro rendered). */
function noteFilesOf(root: string): Record<string, string> {
  try {
    return (JSON.parse(readFileSync(path.join(root, '.lab', 'site', 'assets.json'), 'utf8')) as SiteAssets).files ?? {};
  } catch {
    return {};
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
