/**
 * Stage 1 — discover: find the journal's files and say what each one is, from
 * its place in the fixed layout (DESIGN.md §1).
 */
import fg from 'fast-glob';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';

export type FileKind = 'notebook' | 'page' | 'entry' | 'blob' | 'input' | 'stray';

/** A file found under `content/`, with the stat data the parse cache keys on. */
export interface DiscoveredFile {
  /** Workspace-relative path, forward slashes (`content/notebooks/…`). */
  path: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
}

const BLOB = /^content\/blobs\/([0-9a-f]{2})\/([0-9a-f]{64})(\.[A-Za-z0-9]+)?$/;

/** What a workspace-relative path is in the layout. Pure: also used on git trees. */
export function classifyPath(rel: string): FileKind {
  const parts = rel.split('/');
  if (parts[0] !== 'content') return 'stray';
  if (parts[1] === 'blobs') {
    const m = BLOB.exec(rel);
    return m && m[1] === m[2].slice(0, 2) ? 'blob' : 'stray';
  }
  if (parts[1] !== 'notebooks' || parts.length < 4) return 'stray';
  if (parts.length === 4) return parts[3] === 'README.md' ? 'notebook' : 'stray';
  if (parts.length === 5) return parts[4] === 'README.md' ? 'page' : 'stray';
  if (parts[4] !== 'entries') return 'stray';
  if (parts.length === 6 && /\.(md|org)$/i.test(parts[5])) return 'entry';
  return 'input';
}

/** Message for a file that is not where the layout expects it. */
export function strayMessage(rel: string): string {
  if (rel.startsWith('content/blobs/')) return 'file in content/blobs/ is not named <aa>/<sha256>.<ext>; it is not part of the journal';
  if (/\.(md|org)$/i.test(rel)) {
    return 'file is outside the journal layout (notebooks/<nb>/README.md, notebooks/<nb>/<page>/README.md, notebooks/<nb>/<page>/entries/*.md); it is ignored';
  }
  return 'file is outside the journal layout; input files belong in a page\'s entries/ folder';
}

/**
 * Lists every file under `content/`. Symlinks are followed only when they stay
 * inside the workspace; one pointing outside is refused with a diagnostic.
 */
export async function discover(root: string): Promise<{ files: DiscoveredFile[]; sessionFiles: DiscoveredFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  // The sync walk is about twice as fast as the async one for thousands of small files.
  const entries = fg.sync('content/**', {
    cwd: root,
    dot: false,
    onlyFiles: false,
    followSymbolicLinks: false,
    stats: true,
    objectMode: true,
    ignore: ['**/node_modules/**', '**/.*'],
  });
  const realRoot = await fs.realpath(root);
  const files: DiscoveredFile[] = [];
  for (const e of entries) {
    let stats = e.stats!;
    if (e.dirent.isSymbolicLink() || stats.isSymbolicLink()) {
      const target = await fs.realpath(path.join(root, e.path)).catch(() => null);
      if (!target || (target !== realRoot && !target.startsWith(realRoot + path.sep))) {
        diagnostics.push(diagnostic(e.path, undefined, 'error', 'symlink-outside', `symlink points outside the workspace (${target ?? 'broken link'}); it is refused`));
        continue;
      }
      stats = await fs.stat(target);
      if (stats.isDirectory()) {
        diagnostics.push(diagnostic(e.path, undefined, 'warning', 'symlink-dir', 'symlinked folders are not followed; link files instead'));
        continue;
      }
    }
    if (!stats.isFile()) continue;
    files.push({ path: e.path, kind: classifyPath(e.path), size: stats.size, mtimeMs: stats.mtimeMs });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sessionFiles = fg
    .sync(['lab/raw/*.json', 'lab/stubs/*.org'], { cwd: root, stats: true, followSymbolicLinks: false })
    .map((e) => ({ path: e.path, kind: 'input' as FileKind, size: e.stats!.size, mtimeMs: e.stats!.mtimeMs }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, sessionFiles, diagnostics };
}
