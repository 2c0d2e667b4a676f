/**
 * Each entry's own fields as JSON (`.lab/cache/own/`), in one file per page
 * folder. Rewriting an index shard needs the JSON of every entry in that
 * notebook; the ones that did not change come from here, read as strings and
 * never re-serialized. Loaded lazily: a rebuild after one edit reads the files of
 * one notebook, not of the journal.
 */
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { CACHE_VERSION, folderOf } from './cache.ts';
import { writeFileAtomic } from './fs/atomic.ts';

export class OwnStore {
  /** page folder → (entry path → [content hash, own JSON]); absent until loaded. */
  readonly #folders = new Map<string, Map<string, [string, string]>>();
  readonly #dirty = new Set<string>();
  readonly #root: string | null;

  /** `root` null keeps everything in memory (no disk). */
  constructor(root: string | null) {
    this.#root = root;
  }

  /** The entry's own JSON if stored for exactly this content hash. */
  get(rel: string, hash: string): string | undefined {
    const hit = this.#folder(folderOf(rel)).get(rel);
    return hit && hit[0] === hash ? hit[1] : undefined;
  }

  set(rel: string, hash: string, json: string): void {
    const folder = folderOf(rel);
    this.#folder(folder).set(rel, [hash, json]);
    this.#dirty.add(folder);
  }

  delete(rel: string): void {
    const folder = folderOf(rel);
    if (this.#folder(folder).delete(rel)) this.#dirty.add(folder);
  }

  /** Writes the folders that changed; a folder left empty loses its file. */
  async save(): Promise<void> {
    if (!this.#root) return;
    for (const folder of [...this.#dirty].sort()) {
      const entries = [...this.#folders.get(folder)!].sort(([a], [b]) => (a < b ? -1 : 1));
      const file = this.#file(folder);
      if (entries.length) await writeFileAtomic(file, v8.serialize({ version: CACHE_VERSION, folder, entries }), { durable: false });
      else await fs.rm(file, { force: true });
    }
    this.#dirty.clear();
  }

  #folder(folder: string): Map<string, [string, string]> {
    let map = this.#folders.get(folder);
    if (!map) {
      map = this.#load(folder);
      this.#folders.set(folder, map);
    }
    return map;
  }

  #load(folder: string): Map<string, [string, string]> {
    if (!this.#root) return new Map();
    try {
      const data = v8.deserialize(readFileSync(this.#file(folder))) as { version: number; folder: string; entries: [string, [string, string]][] };
      if (data?.version === CACHE_VERSION && data.folder === folder) return new Map(data.entries);
    } catch {
      // Missing or unreadable: the entries are re-parsed when needed.
    }
    return new Map();
  }

  #file(folder: string): string {
    return path.join(this.#root!, '.lab', 'cache', 'own', `${createHash('sha1').update(folder).digest('hex').slice(0, 16)}.v8`);
  }
}
