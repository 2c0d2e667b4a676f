/**
 * `lab archive --restore <entry>`: the original bytes of every archived artifact
 * of an entry come back — from the blob store when another entry still holds them,
 * else from git history — each checked against its sha256 before it is stored.
 * The stand-ins that nothing uses any more are removed.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compile } from '../core/compile.ts';
import { LabError } from '../core/diagnostics.ts';
import { replaceFileIfUnchanged } from '../core/fs/atomic.ts';
import { extensionForType, extensionOf } from '../core/mime.ts';
import { findEntry } from '../core/resolve.ts';
import type { Artifact } from '../core/schema/entry.ts';
import { BlobStore } from '../runners/blobs.ts';
import { applyRunnerValues, formatOf, splitEntry } from '../runners/write-back.ts';
import { openHead, readFromHistory } from './git-copies.ts';
import { usedBlobs } from './references.ts';

interface RestoredArtifact {
  artifact: string;
  hash: string;
  size_bytes: number;
  /** `blob store`, or the commit the bytes were read from. */
  from: string;
}

export interface RestoreResult {
  entry: string;
  path: string;
  restored: RestoredArtifact[];
  /** Artifacts whose original could not be found (they stay archived). */
  missing: { artifact: string; hash: string; reason: string }[];
  /** Stand-in blobs deleted because nothing uses them any more. */
  removed_paths: string[];
}

export async function restoreEntry(root: string, ref: string, cwd: string = root): Promise<RestoreResult> {
  const { index } = await compile(root);
  const entry = findEntry(index, ref, root, cwd);
  const file = path.join(root, entry.source.path);
  const text = await fs.readFile(file, 'utf8');
  const format = formatOf(file);
  const data = splitEntry(text, format).data;
  const artifacts = Array.isArray(data?.artifacts) ? (data!.artifacts as Artifact[]) : [];
  const store = new BlobStore(root);
  const git = await openHead(root);
  const restored: RestoredArtifact[] = [];
  const missing: RestoreResult['missing'] = [];
  const standIns = new Set<string>();

  const next: Artifact[] = [];
  for (const a of artifacts) {
    const record = a.archived;
    if (!record) {
      next.push(a);
      continue;
    }
    const hex = record.original_hash.slice(7);
    let bytes: Buffer | null = null;
    let from = 'blob store';
    const inStore = await store.find(record.original_hash);
    if (inStore) {
      const b = await fs.readFile(inStore);
      if (createHash('sha256').update(b).digest('hex') === hex) bytes = b;
    }
    if (!bytes && git) {
      const hit = await readFromHistory(git.repo, hex, record.commit);
      if (hit) {
        bytes = hit.bytes;
        from = `commit ${hit.commit.slice(0, 12)}`;
      }
    }
    if (!bytes) {
      missing.push({
        artifact: a.name,
        hash: record.original_hash,
        reason: git ? 'no commit in this clone holds it (a shallow clone? fetch the history with `git fetch --unshallow`)' : 'not in a git repository',
      });
      next.push(a);
      continue;
    }
    const ext = extensionOf(a.name) || extensionForType(record.type ?? '');
    await store.putBytes(bytes, ext);
    if (record.strategy !== 'drop') standIns.add(a.hash.slice(7));
    const { archived: _archived, width: _w, height: _h, ...rest } = a;
    next.push({
      ...rest,
      hash: record.original_hash,
      ...(record.type ? { type: record.type } : {}),
      size_bytes: record.original_size_bytes,
      ...(record.width ? { width: record.width } : {}),
      ...(record.height ? { height: record.height } : {}),
    });
    restored.push({ artifact: a.name, hash: record.original_hash, size_bytes: bytes.byteLength, from });
  }
  if (!restored.length) return { entry: entry.id, path: entry.source.path, restored, missing, removed_paths: [] };
  if (!(await replaceFileIfUnchanged(file, text, applyRunnerValues(text, format, { artifacts: next })))) {
    throw new LabError(`${entry.source.path} changed on disk meanwhile; nothing was restored into it (the original blobs are back in the store; run again)`);
  }
  const used = usedBlobs((await compile(root)).index);
  const removed: string[] = [];
  for (const hex of standIns) {
    if (used.has(hex)) continue;
    const f = await store.find(`sha256:${hex}`);
    if (!f) continue;
    await fs.rm(f, { force: true });
    removed.push(path.relative(root, f).split(path.sep).join('/'));
  }
  return { entry: entry.id, path: entry.source.path, restored, missing, removed_paths: removed.sort() };
}
