/**
 * Reads the journal as it is at a commit (from the git tree, no checkout) or in
 * the working tree, and compiles it in memory with the lead's `compileSources`.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { compileSources } from '../core/compile.ts';
import type { EntryTypes } from '../core/entry-types.ts';
import type { DiffInput } from './diff/compute.ts';
import { listFiles, type Repo, readBlobBytes, readCommitInfo, subtreeOid } from './repo.ts';

/** Blobs are binary and content-addressed: their path is their identity, no need to read them. */
const isBlobPath = (p: string) => p.startsWith('content/blobs/');

/** Input files bigger than this are not read as text (they still count as existing). */
const MAX_TEXT_BYTES = 8 * 1024 * 1024;

/** Workspace-relative path → git blob oid of every file under `content/` at `commit`. */
export async function filesAtCommit(repo: Repo, commit: string): Promise<Map<string, string>> {
  const info = await readCommitInfo(repo, commit);
  const content = await subtreeOid(repo, info.tree, `${repo.prefix}content`);
  return content ? listFiles(repo, content, 'content/') : new Map();
}

/** Compiles the journal at `commit`. */
/** What a snapshot compiles with: the entry types whose input problems it reports (none: structure only). */
export interface SnapshotOptions {
  entryTypes?: EntryTypes;
}

export async function snapshotAtCommit(repo: Repo, commit: string, ref: string, options: SnapshotOptions = {}): Promise<DiffInput> {
  const files = await filesAtCommit(repo, commit);
  const sources: { path: string; text: string | Uint8Array }[] = [];
  await mapLimit([...files], 16, async ([p, oid]) => {
    sources.push({ path: p, text: isBlobPath(p) ? '' : await readBlobBytes(repo, oid) });
  });
  const result = await compileSources(sources, { entryTypes: options.entryTypes });
  return { side: { ref, commit }, index: result.index, diagnostics: result.diagnostics, files };
}

/** Compiles the journal in the working tree (uncommitted edits included). */
export async function snapshotOfWorkingTree(root: string, options: SnapshotOptions = {}): Promise<DiffInput> {
  const paths = await fg('content/**', { cwd: root, dot: false, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.*'] });
  const files = new Map<string, string>();
  const sources: { path: string; text: string | Uint8Array }[] = [];
  await mapLimit(paths, 16, async (p) => {
    if (isBlobPath(p)) {
      files.set(p, `path:${p}`);
      sources.push({ path: p, text: '' });
      return;
    }
    const abs = path.join(root, p);
    const st = await fs.stat(abs);
    const bytes = st.size > MAX_TEXT_BYTES ? null : await fs.readFile(abs);
    files.set(p, bytes ? gitBlobOid(bytes) : `size:${st.size}:${st.mtimeMs}`);
    sources.push({ path: p, text: bytes ?? '' });
  });
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const result = await compileSources(sources, { entryTypes: options.entryTypes });
  return { side: { ref: 'working tree', commit: null }, index: result.index, diagnostics: result.diagnostics, files };
}

/** The oid git gives these bytes as a blob, so working-tree files compare with tree entries. */
function gitBlobOid(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
