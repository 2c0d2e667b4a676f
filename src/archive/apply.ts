/**
 * Carrying out an archive plan: for each original blob, check that git holds it,
 * make its stand-in, then (unless a dry run) store the stand-ins, rewrite each
 * entry's `artifacts` (nothing else in the file changes), and only then delete the
 * originals whose every referencing artifact was rewritten.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { replaceFileIfUnchanged } from '../core/fs/atomic.ts';
import type { Artifact, ArtifactArchive } from '../core/schema/entry.ts';
import type { Repo } from '../git/repo.ts';
import { BlobStore } from '../runners/blobs.ts';
import { applyRunnerValues, formatOf, splitEntry } from '../runners/write-back.ts';
import { type BlobFacts, blobFacts } from './blob-facts.ts';
import { committedAtHead } from './git-copies.ts';
import type { ArtifactAction, Skip } from './plan.ts';
import { type Freed, SavingsCounter } from './savings.ts';
import { makeReplacement, type Replacement, type TransformOptions, zstdAvailable } from './transform.ts';

/** One artifact archived (or, in a dry run, that would be). */
export interface ArchivedArtifact {
  entry: string;
  artifact: string;
  strategy: ArtifactAction['strategy'];
  original_hash: string;
  original_size_bytes: number;
  /** The stand-in's blob, or null for `drop`. */
  new_hash: string | null;
  new_size_bytes: number;
}

export interface ApplyResult {
  archived: ArchivedArtifact[];
  skipped: Skip[];
  freed: Freed;
  /** Repository paths of the originals removed (or that would be). */
  removed_paths: string[];
}

export interface ApplyOptions extends TransformOptions {
  root: string;
  dryRun: boolean;
  /** ISO-8601 time written as `archived.at`. */
  at: string;
  /** The repository and HEAD; without them nothing is archived (there would be no copy left). */
  git: { repo: Repo; head: string } | null;
  /** Workspace-relative entry file of each entry id. */
  entryFiles: ReadonlyMap<string, string>;
}

export async function applyPlan(actions: ArtifactAction[], options: ApplyOptions): Promise<ApplyResult> {
  if (actions.some((a) => a.strategy === 'compress') && !zstdAvailable()) {
    throw new LabError(`the compress strategy needs Node.js 22.15 or newer (zlib zstd); this is ${process.version}`);
  }
  const store = new BlobStore(options.root);
  const skipped: Skip[] = [];
  const savings = new SavingsCounter();
  const byBlob = groupBy(actions, (a) => a.hash);
  const ready = new Map<ArtifactAction, { original: BlobFacts; replacement: Replacement | null }>();
  const originals = new Map<string, { file: string; facts: BlobFacts }>();
  const addedBlobs = new Set<string>();

  for (const [hash, group] of byBlob) {
    const skipAll = (reason: string) => group.forEach((a) => skipped.push({ entry: a.entry, artifact: a.name, reason }));
    const file = await store.find(hash);
    if (!file) {
      skipAll('blob is not in the store');
      continue;
    }
    const facts = await blobFacts(file);
    const hex = hash.slice(7);
    if (facts.sha256 !== hex) {
      skipAll(`blob ${path.relative(options.root, file)} is corrupt (its bytes do not hash to its name)`);
      continue;
    }
    if (!options.git) {
      skipAll('not in a git repository with commits: the blob would have no other copy');
      continue;
    }
    if (!(await committedAtHead(options.git.repo, options.git.head, hex, facts.gitOid))) {
      skipAll('not committed: HEAD does not hold this blob, so archiving would delete its only copy (commit it first)');
      continue;
    }
    const made = new Map<string, Replacement | null>();
    let usable = 0;
    for (const a of group) {
      if (!made.has(a.strategy)) made.set(a.strategy, await makeReplacement(a.strategy, file, facts.size, options).catch(() => null));
      const replacement = made.get(a.strategy)!;
      if (!replacement && a.strategy !== 'drop') {
        skipped.push({ entry: a.entry, artifact: a.name, reason: `${a.strategy} would not make it smaller` });
        continue;
      }
      ready.set(a, { original: facts, replacement });
      usable++;
    }
    // An original is removed only when every artifact using it is archived.
    if (usable === group.length) originals.set(hash, { file, facts });
    else {
      for (const a of group) {
        if (ready.delete(a))
          skipped.push({ entry: a.entry, artifact: a.name, reason: 'its blob is shared with an artifact that cannot be archived, so it stays' });
      }
    }
  }

  // Stand-ins first (so a crash never leaves an entry pointing at nothing), then entries, then originals.
  const archived: ArchivedArtifact[] = [];
  const newHashes = new Map<ArtifactAction, string | null>();
  for (const [a, { replacement }] of ready) {
    if (!replacement) {
      newHashes.set(a, null);
      continue;
    }
    const hex = createHash('sha256').update(replacement.bytes).digest('hex');
    if (!addedBlobs.has(hex) && !(await store.find(`sha256:${hex}`))) {
      addedBlobs.add(hex);
      savings.added(replacement.bytes);
    }
    if (!options.dryRun) await store.putBytes(replacement.bytes, replacement.ext);
    newHashes.set(a, `sha256:${hex}`);
  }

  const failed = new Set<string>();
  for (const [entryId, group] of groupBy([...ready.keys()], (a) => a.entry)) {
    const rel = options.entryFiles.get(entryId);
    const problem = rel ? await rewriteEntry(path.join(options.root, rel), group, ready, newHashes, options) : 'entry file not found';
    for (const a of group) {
      if (problem) {
        failed.add(a.hash);
        skipped.push({ entry: a.entry, artifact: a.name, reason: problem });
        continue;
      }
      const r = ready.get(a)!;
      archived.push({
        entry: a.entry,
        artifact: a.name,
        strategy: a.strategy,
        original_hash: a.hash,
        original_size_bytes: r.original.size,
        new_hash: newHashes.get(a) ?? null,
        new_size_bytes: r.replacement?.bytes.byteLength ?? 0,
      });
    }
  }

  const removed: string[] = [];
  for (const [hash, { file, facts }] of originals) {
    if (failed.has(hash) || addedBlobs.has(hash.slice(7))) continue;
    if (!options.dryRun) await fs.rm(file, { force: true });
    savings.removed(facts.size, facts.packed);
    removed.push(path.relative(options.root, file).split(path.sep).join('/'));
  }
  return { archived, skipped, freed: savings.result(), removed_paths: removed.sort() };
}

/** Rewrites the entry's `artifacts` with archive records; returns a reason when it cannot. */
async function rewriteEntry(
  file: string,
  group: ArtifactAction[],
  ready: Map<ArtifactAction, { original: BlobFacts; replacement: Replacement | null }>,
  newHashes: Map<ArtifactAction, string | null>,
  options: ApplyOptions,
): Promise<string | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return 'entry file not found';
  const format = formatOf(file);
  const split = splitEntry(text, format);
  const artifacts = Array.isArray(split.data?.artifacts) ? (split.data!.artifacts as Artifact[]).map((a) => ({ ...a })) : null;
  if (!artifacts) return 'the entry no longer lists artifacts';
  for (const a of group) {
    const current = artifacts[a.index];
    if (!current || current.hash !== a.hash || current.archived) return 'the entry changed since it was compiled (run again)';
    const { original, replacement } = ready.get(a)!;
    const record: ArtifactArchive = {
      strategy: a.strategy,
      at: options.at,
      original_hash: a.hash,
      original_size_bytes: original.size,
      ...(current.type ? { type: current.type } : {}),
      ...(current.width ? { width: current.width } : {}),
      ...(current.height ? { height: current.height } : {}),
      commit: options.git!.head,
    };
    const next: Artifact = { ...current, archived: record };
    if (replacement) {
      next.hash = newHashes.get(a)!;
      next.type = replacement.type;
      next.size_bytes = replacement.bytes.byteLength;
      if (replacement.width) next.width = replacement.width;
      else delete next.width;
      if (replacement.height) next.height = replacement.height;
      else delete next.height;
    }
    artifacts[a.index] = next;
  }
  if (options.dryRun) return null;
  const updated = applyRunnerValues(text, format, { artifacts });
  return (await replaceFileIfUnchanged(file, text, updated)) ? null : 'the entry file changed on disk meanwhile; nothing was written to it';
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
