/**
 * Files that notes link to or embed — images and attachments anywhere in a notebook, and
 * entries' input files — published content-addressed at `<base>files/<sha256>/<name>`, so a
 * changed file gets a new URL and an unchanged one is never copied twice. Hashes are kept
 * in `.lab/site/files.json`, keyed by size and mtime, so a rebuild reads only changed files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DiscoveredFile } from '../core/stages/discover.ts';

/** Workspace-relative path → site path under the base (`files/<hex>/<name>`). */
export type NoteFiles = Map<string, string>;

type HashCache = Record<string, [size: number, mtimeMs: number, hex: string]>;

/** The site path of every file a note may link to; hashes are cached by (size, mtime). */
export function planNoteFiles(root: string, files: DiscoveredFile[]): NoteFiles {
  const cacheFile = path.join(root, '.lab', 'site', 'files.json');
  let cache: HashCache = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as HashCache;
  } catch {
    /* first build */
  }
  const next: HashCache = {};
  const out: NoteFiles = new Map();
  let changed = false;
  for (const f of files) {
    if (f.kind !== 'attachment' && f.kind !== 'input') continue;
    const hit = cache[f.path];
    let hex = hit && hit[0] === f.size && hit[1] === f.mtimeMs ? hit[2] : null;
    if (!hex) {
      try {
        hex = createHash('sha256')
          .update(readFileSync(path.join(root, f.path)))
          .digest('hex');
      } catch {
        continue;
      }
      changed = true;
    }
    next[f.path] = [f.size, f.mtimeMs, hex];
    out.set(f.path, `files/${hex}/${encodeURIComponent(path.posix.basename(f.path))}`);
  }
  if (changed || Object.keys(cache).length !== Object.keys(next).length) {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next)}\n`);
    renameSync(tmp, cacheFile);
  }
  return out;
}
