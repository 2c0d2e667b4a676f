/**
 * The content-addressed blob store as the site sees it: `content/blobs/<aa>/<sha256hex>.<ext>`.
 * One directory scan maps every hash to its file, so pages never probe the disk per artifact.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Hex digest of `sha256:<hex>`, or null when the value is not a blob address. */
export function blobHex(hash: string | null | undefined): string | null {
  const m = /^sha256:([0-9a-f]{64})$/.exec(hash ?? '');
  return m ? m[1] : null;
}

/** hex → path of the blob relative to `content/blobs/` (e.g. `ab/ab12….png`). */
export function scanBlobs(root: string): Map<string, string> {
  const dir = path.join(root, 'content', 'blobs');
  const found = new Map<string, string>();
  let shards: string[];
  try {
    shards = readdirSync(dir);
  } catch {
    return found;
  }
  for (const shard of shards.sort()) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    let files: string[];
    try {
      files = readdirSync(path.join(dir, shard));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const hex = file.slice(0, 64);
      if (/^[0-9a-f]{64}$/.test(hex) && hex.startsWith(shard) && !found.has(hex)) found.set(hex, `${shard}/${file}`);
    }
  }
  return found;
}
