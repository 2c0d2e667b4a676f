/**
 * Whether `lab build` can leave the previous site as it is. After each successful build a stamp
 * (`.lab/site/build-stamp.json`) records a digest of everything the build read and a digest of
 * what it left in the output folder. A later build whose inputs and output both match has nothing
 * to do: Astro, the JSON API and Pagefind are not started at all. Astro's incremental build would
 * restore every page too, but only after loading the whole journal into its store, bundling it and
 * checking every path (most of a no-change rebuild's time; see `npm run bench:site`).
 *
 * The inputs are stamped by size and mtime (like the compiler's own change check), except the
 * files that are rewritten without changing (git history, the lockfile, the tool's code), which
 * are hashed. What a page shows that no file records — whether the runner of a `running` entry
 * is still alive — is added from the compile result. An edit the stamps cannot see (a file
 * rewritten with its size and mtime put back) goes unnoticed, as it does by the compiler;
 * `lab build --force` builds anyway.
 */
import { createHash, type Hash } from 'node:crypto';
import { type Dirent, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CompileResult } from '../core/model.ts';
import { PACKAGE_DIR, ownFile } from '../package-files.ts';
import { runningState } from '../runners/run-state.ts';
import { VERSION } from '../version.ts';
import { hasOwnAstroConfig } from './astro-config.ts';
import type { SiteLocation } from './config.ts';

/** Bumped when what the stamp covers changes, so an older stamp never matches. */
const STAMP_VERSION = 1;

/** What a successful build leaves in `.lab/site/build-stamp.json`. */
export interface BuildStamp {
  /** {@link STAMP_VERSION} of the tool that wrote it. */
  version: number;
  /** The output folder the build wrote (absolute). */
  out: string;
  /** Digest of the build's inputs ({@link inputsDigest}). */
  inputs: string;
  /** Digest of the output folder's files as the build left them ({@link outputDigest}). */
  output: string;
  /** Files in the output folder. */
  files: number;
  /** Pages the search index holds, as the build reported. */
  pages: number;
}

/** Folders and files under `.lab/` that builds and compiles write: derived from the inputs, not inputs. */
const DERIVED_IN_LAB = new Set([
  'astro-build',
  'astro-cache',
  'cache',
  'diagnostics.json',
  'history.json',
  'index',
  'index.json',
  'lineage.json',
  'site',
  'thumbs',
]);
/** An Astro project's own files, when the journal is one (`astro.config.*` at its root). */
const PROJECT_FILES = ['src', 'public'];

function stampFile(root: string): string {
  return path.join(root, '.lab', 'site', 'build-stamp.json');
}

/**
 * A digest of everything a build of `root` into `out` reads: the journal's files (`content/`,
 * `lab/`, the rest of `.lab/`, `lab.config.yaml`, an own Astro project's `astro.config.*`, `src/`
 * and `public/`), the git history the compiler's helper wrote, where the site is published, the
 * lockfile, the tool's code, Astro's version, and the live state of running entries.
 */
export function inputsDigest(options: { root: string; out: string; location: SiteLocation; result: CompileResult }): string {
  const { root, out, location, result } = options;
  const h = createHash('sha256');
  h.update(`${STAMP_VERSION}\0${VERSION}\0${out}\0${JSON.stringify(location)}\0${astroVersion(root)}\n`);
  const skip = (rel: string) => rel === path.relative(root, out) || (rel.startsWith('.lab/') && DERIVED_IN_LAB.has(rel.split('/')[1]!));
  for (const top of ['content', 'lab', '.lab', ...PROJECT_FILES]) {
    if (PROJECT_FILES.includes(top) && !hasOwnAstroConfig(root)) continue;
    statTree(h, root, top, skip);
  }
  for (const name of readdirSync(root).sort()) {
    if (name === 'lab.config.yaml' || name.startsWith('astro.config.')) statTree(h, root, name, skip);
  }
  hashFile(h, path.join(root, '.lab', 'history.json'));
  hashFile(h, path.join(root, 'package-lock.json'));
  h.update(toolDigest());
  for (const entry of result.index.entries) {
    if (entry.status === 'running') h.update(`run\0${entry.id}\0${JSON.stringify(runningState(root, entry))}\n`);
  }
  return h.digest('hex');
}

/** A digest of every file in `out` (path, size, mtime) and how many there are. */
function outputDigest(out: string): { digest: string; files: number } {
  const h = createHash('sha256');
  const files = statTree(h, out, '', () => false);
  return { digest: h.digest('hex'), files };
}

/** The stamp of the last build of `root` into `out` if its inputs are `inputs` and the output is as it left it. */
export function upToDate(root: string, out: string, inputs: string): BuildStamp | null {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile(root), 'utf8')) as BuildStamp;
  } catch {
    return null;
  }
  if (stamp.version !== STAMP_VERSION || stamp.out !== out || stamp.inputs !== inputs) return null;
  const now = outputDigest(out);
  return now.files === stamp.files && now.digest === stamp.output ? stamp : null;
}

/** Records a successful build (atomically: a half-written stamp must not match). */
export function writeStamp(root: string, stamp: Omit<BuildStamp, 'version' | 'output' | 'files'>): void {
  const { digest, files } = outputDigest(stamp.out);
  const full: BuildStamp = { version: STAMP_VERSION, out: stamp.out, inputs: stamp.inputs, output: digest, files, pages: stamp.pages };
  const file = stampFile(root);
  const tmp = `${file}.${process.pid}.tmp`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(tmp, `${JSON.stringify(full, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Forgets the last build: called before a build changes the output, so a failed one is never taken as done. */
export function clearStamp(root: string): void {
  rmSync(stampFile(root), { force: true });
}

/** Adds (path, size, mtime) of every file under `root/rel` to `h`, in path order; returns how many. */
function statTree(h: Hash, root: string, rel: string, skip: (rel: string) => boolean): number {
  const st = statSync(path.join(root, rel), { throwIfNoEntry: false });
  if (!st) return 0;
  if (st.isDirectory()) return statFolder(h, root, rel, skip);
  h.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
  return 1;
}

/** {@link statTree} of a folder: its entries' types come with the listing, so only files (and links, followed) are stat'ed. */
function statFolder(h: Hash, root: string, rel: string, skip: (rel: string) => boolean): number {
  let items: Dirent[];
  try {
    items = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return 0;
  }
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let count = 0;
  for (const item of items) {
    const child = rel ? `${rel}/${item.name}` : item.name;
    if (skip(child)) continue;
    count += item.isDirectory() ? statFolder(h, root, child, skip) : statTree(h, root, child, skip);
  }
  return count;
}

function hashFile(h: Hash, file: string): void {
  try {
    h.update(createHash('sha256').update(readFileSync(file)).digest('hex'));
  } catch {
    h.update('-');
  }
  h.update('\n');
}

let tool: string | undefined;
/** The running code (`src/` or `lib/`), the package's public files and manifest, by content: a rebuilt `lib/` keeps its digest. */
function toolDigest(): string {
  if (tool) return tool;
  const h = createHash('sha256');
  const hashTree = (dir: string): void => {
    let items: Dirent[];
    try {
      items = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of items.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) hashTree(full);
      else if (d.isFile()) {
        h.update(`${path.relative(PACKAGE_DIR, full)}\0`);
        hashFile(h, full);
      }
    }
  };
  hashTree(ownFile(''));
  hashTree(path.join(PACKAGE_DIR, 'public'));
  hashFile(h, path.join(PACKAGE_DIR, 'package.json'));
  tool = h.digest('hex');
  return tool;
}

function astroVersion(root: string): string {
  for (const from of [root, PACKAGE_DIR]) {
    try {
      const file = createRequire(path.join(from, 'package.json')).resolve('astro/package.json');
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      /* not installed there */
    }
  }
  return 'none';
}
