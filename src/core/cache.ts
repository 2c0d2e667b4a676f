/**
 * Compiler caches. On disk (`.lab/cache/`): every source file's parse and
 * validation keyed by (path, size, mtime) with the content hash as a second
 * chance, so a rebuild after one edit re-parses one file; plus the fingerprint of
 * the whole file set, so a rebuild with no change does no work at all. In memory
 * (a long-lived process such as `astro dev` or an SDK user): the same, plus the
 * serialized JSON of every entry, so re-emitting the index costs a string join.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { Diagnostic } from './diagnostics.ts';
import type { CompileStats } from './model.ts';
import { writeFileAtomic } from './fs/atomic.ts';
import type { ParsedSource } from './stages/parse.ts';
import type { Validation } from './stages/validate.ts';

/** Bump when ParsedSource, validation or the index shape change: old caches are discarded. */
export const CACHE_VERSION = 8;

export interface FileState {
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes. */
  hash: string;
  parsed?: ParsedSource;
  /** Validation result and the known-types key it was computed with. */
  validated?: { typesKey: string; result: Validation };
}

export interface CompileState {
  files: Map<string, FileState>;
  /** Cache shards (one per page folder) whose files changed since they were saved. */
  dirty: Set<string>;
  /** In memory only: entry id → [memo key, JSON]. */
  entryJson: Map<string, [string, string]>;
  /** In memory only: entry path → [memo key, inputs hash]. */
  inputsHashes: Map<string, [string, string]>;
  /** In memory only: the last bytes written, to skip unchanged writes without reading. */
  written: Map<string, string>;
}

/** What a no-change rebuild needs, without loading any parse data. */
export interface CompileSummary {
  version: number;
  fingerprint: string;
  diagnostics: Diagnostic[];
  stats: CompileStats;
}

const dir = (root: string) => path.join(root, '.lab', 'cache');

/**
 * Files are cached in shards, one per page folder, so saving after one edit
 * re-serializes about a hundred files, not ten thousand.
 */
export function shardOf(rel: string): string {
  return rel.split('/').slice(0, 4).join('/');
}

const shardFile = (root: string, shard: string) =>
  path.join(dir(root), 'parse', `${createHash('sha1').update(shard).digest('hex').slice(0, 16)}.v8`);

export function emptyState(): CompileState {
  return { files: new Map(), dirty: new Set(), entryJson: new Map(), inputsHashes: new Map(), written: new Map() };
}

export async function loadState(root: string): Promise<CompileState> {
  const state = emptyState();
  const names = await fs.readdir(path.join(dir(root), 'parse')).catch(() => [] as string[]);
  for (const name of names) {
    try {
      const data = v8.deserialize(await fs.readFile(path.join(dir(root), 'parse', name))) as { version: number; files: [string, FileState][] };
      if (data?.version === CACHE_VERSION) for (const [k, v] of data.files) state.files.set(k, v);
    } catch {
      // A corrupt shard only costs re-parsing its files.
    }
  }
  return state;
}

/** Writes the dirty shards (and removes shards of folders that are gone). */
export async function saveState(root: string, state: CompileState): Promise<void> {
  const byShard = new Map<string, [string, FileState][]>();
  for (const shard of state.dirty) byShard.set(shard, []);
  for (const [rel, f] of state.files) byShard.get(shardOf(rel))?.push([rel, f]);
  for (const [shard, files] of byShard) {
    const file = shardFile(root, shard);
    if (files.length) await writeFileAtomic(file, v8.serialize({ version: CACHE_VERSION, files }), { durable: false });
    else await fs.rm(file, { force: true });
  }
  state.dirty.clear();
}

export async function loadSummary(root: string): Promise<CompileSummary | null> {
  try {
    const s = JSON.parse(await fs.readFile(path.join(dir(root), 'summary.json'), 'utf8')) as CompileSummary;
    return s.version === CACHE_VERSION ? s : null;
  } catch {
    return null;
  }
}

export async function saveSummary(root: string, summary: Omit<CompileSummary, 'version'>): Promise<void> {
  await writeFileAtomic(path.join(dir(root), 'summary.json'), JSON.stringify({ version: CACHE_VERSION, ...summary }), { durable: false });
}
