/**
 * What archiving frees, per place the bytes live. Replacing a committed blob
 * shrinks the working tree, the published site and a shallow clone (git keeps
 * objects zlib-compressed, so that scope is estimated from deflated sizes), but
 * never a full-history clone: the old commits still hold the original. Only a
 * history rewrite frees that, and the report names the commands instead of
 * promising savings it cannot deliver.
 */
import zlib from 'node:zlib';

/** Bytes freed per scope. */
export interface Freed {
  /** `content/blobs/` in this checkout. */
  working_tree: number;
  /** The built site, which publishes the blobs entries reference. */
  site: number;
  /** A `--depth 1` clone (git's compressed objects, estimated with zlib). */
  shallow_clone: number;
  /** A full clone: always 0 — history keeps every committed blob. */
  full_clone: 0;
}

export interface HistoryRewrite {
  /** Repository paths of the archived originals (what a history rewrite would remove). */
  paths: string[];
  note: string;
  /** Commands that would make a full clone smaller; they rewrite every commit id. */
  commands: string[];
}

/** Adds up removed originals and added stand-ins. */
export class SavingsCounter {
  #freed = { working_tree: 0, site: 0, shallow_clone: 0 };

  /** An original removed: its size, and about what git's pack holds for it. */
  removed(size: number, packed: number): void {
    this.#freed.working_tree += size;
    this.#freed.site += size;
    this.#freed.shallow_clone += packed;
  }

  added(bytes: Uint8Array): void {
    this.#freed.working_tree -= bytes.byteLength;
    this.#freed.site -= bytes.byteLength;
    this.#freed.shallow_clone -= packedSize(bytes);
  }

  result(): Freed {
    return { ...this.#freed, full_clone: 0 };
  }
}

/** About what git stores for these bytes in a pack (zlib at git's default level). */
function packedSize(bytes: Uint8Array): number {
  return zlib.deflateSync(bytes, { level: 6 }).byteLength;
}

export function historyRewrite(paths: string[]): HistoryRewrite {
  const sorted = [...paths].sort();
  return {
    paths: sorted,
    note: 'a full clone keeps every committed blob in history: archiving frees 0 bytes there unless history is rewritten (which changes every commit id and needs a force-push and fresh clones)',
    commands: sorted.length
      ? [
          `git filter-repo --invert-paths --paths-from-file archived-paths.txt   # archived-paths.txt: the ${sorted.length} path(s) listed in --json output`,
          'git push --force --all && git push --force --tags',
          'git reflog expire --expire=now --all && git gc --prune=now --aggressive   # in every other clone, after fetching the rewrite',
        ]
      : [],
  };
}

/** `1.5 MB`-style sizes for people. */
export function formatBytes(n: number): string {
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  for (const unit of ['B', 'KB', 'MB', 'GB']) {
    if (v < 1024 || unit === 'GB') return `${sign}${unit === 'B' ? v : v.toFixed(1)} ${unit}`;
    v /= 1024;
  }
  return `${sign}${v} B`;
}
