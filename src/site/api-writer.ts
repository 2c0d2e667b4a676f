/**
 * Writes the JSON API into `<out>/api/` and, of its ~2 files per entry, only those whose bytes
 * changed since the previous build: a rebuild after one edit writes a handful of files, not
 * 20,000. A manifest in `.lab/site/` remembers each file's hash; it is removed while writing, so a
 * build that stops half way leaves none and the next one writes everything again. Files of the
 * previous build that are no longer part of the API are deleted.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiFile } from './api.ts';

interface ApiManifest {
  /** The folder the files were written to: a manifest for another output folder is not used. */
  dir: string;
  /** Path under `api/` → hash of its bytes. */
  files: Record<string, string>;
}

/** What {@link writeApi} did; `paths` are every file of the API, relative to `dir`. */
export interface ApiWrite {
  paths: string[];
  written: number;
  removed: number;
}

/**
 * Writes `files` under `dir`, skipping those unchanged since the manifest `manifestFile` was
 * written; yields to the event loop now and then (the worker also talks to Pagefind meanwhile).
 */
export async function writeApi(files: Iterable<ApiFile>, dir: string, manifestFile: string): Promise<ApiWrite> {
  const previous = readManifest(manifestFile, dir);
  rmSync(manifestFile, { force: true });
  const next: ApiManifest = { dir, files: {} };
  const made = new Set<string>();
  let written = 0;
  let seen = 0;
  for (const f of files) {
    if (++seen % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    const hash = createHash('sha1').update(f.json).digest('base64url');
    next.files[f.path] = hash;
    const target = path.join(dir, f.path);
    if (previous.files[f.path] === hash && existsSync(target)) continue;
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, f.json);
    written++;
  }
  let removed = 0;
  for (const old of Object.keys(previous.files)) {
    if (old in next.files) continue;
    try {
      unlinkSync(path.join(dir, old));
      removed++;
    } catch {
      /* already gone */
    }
  }
  mkdirSync(path.dirname(manifestFile), { recursive: true });
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next));
  renameSync(tmp, manifestFile);
  return { paths: Object.keys(next.files), written, removed };
}

function readManifest(file: string, dir: string): ApiManifest {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as ApiManifest;
    if (manifest.dir === dir && manifest.files) return manifest;
  } catch {
    /* none yet */
  }
  return { dir, files: {} };
}
