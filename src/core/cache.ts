/**
 * The per-file parse cache (`.lab/cache/`): parsed sources and input-file hashes
 * keyed by (path, size, mtime) with the content hash as a second chance, so a
 * rebuild after one edit re-parses one file. Stored with v8.serialize: several
 * times faster to load than JSON for this shape.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { writeFileAtomic } from './fs/atomic.ts';
import type { ParsedSource } from './stages/parse.ts';

/** Bump when ParsedSource or the parse rules change: old caches are discarded. */
const CACHE_VERSION = 3;

export interface CachedFile {
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes. */
  hash: string;
  parsed?: ParsedSource;
}

export interface CacheData {
  version: number;
  /** Fingerprint of the whole file set at the last compile (for the no-change fast path). */
  fingerprint: string | null;
  files: Record<string, CachedFile>;
}

export function cacheFile(root: string): string {
  return path.join(root, '.lab', 'cache', 'parse.v8');
}

export async function loadCache(root: string): Promise<CacheData> {
  try {
    const data = v8.deserialize(await fs.readFile(cacheFile(root))) as CacheData;
    if (data?.version === CACHE_VERSION) return data;
  } catch {
    // A missing or corrupt cache only costs a full parse.
  }
  return { version: CACHE_VERSION, fingerprint: null, files: {} };
}

export async function saveCache(root: string, data: CacheData): Promise<void> {
  await writeFileAtomic(cacheFile(root), v8.serialize(data));
}
