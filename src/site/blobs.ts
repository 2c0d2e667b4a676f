/**
 * The content-addressed blob store as the site sees it: `content/blobs/<aa>/<sha256hex>.<ext>`.
 * One directory scan maps every hash to its file, so pages never probe the disk per artifact.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Hex digest of `sha256:<hex>`, or null when the value is not a blob address. */
export function blobHex(hash: string | null | undefined): string | null {
  const m = /^sha256:([0-9a-f]{64})$/.exec(hash ?? '');
  return m ? m[1]! : null;
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

/**
 * Extensions a browser would run as a document in the site's origin (HTML,
 * SVG, XML with stylesheets, scripts): artifacts with these are published
 * only as downloads, never as pages.
 */
const ACTIVE = /\.(html?|xhtml|xht|shtml|svgz?|xml|xsl|xslt|mht|mhtml|js|mjs|cjs|wasm|swf)$/i;

/** Whether a blob (by its store path or name) would be active content if served as itself. */
export function isActiveBlob(rel: string): boolean {
  return ACTIVE.test(rel);
}

/**
 * Where a blob is published under `<base>blobs/`: its store path, except that
 * active types get `.bin` appended, so static hosts serve them as
 * `application/octet-stream` (a download), not as a page that runs script.
 */
export function publishedBlobPath(rel: string): string {
  return isActiveBlob(rel) ? `${rel}.bin` : rel;
}

/** The store path of a published blob path (undoes publishedBlobPath). */
export function storeBlobPath(published: string): string {
  return published.endsWith('.bin') && isActiveBlob(published.slice(0, -4)) ? published.slice(0, -4) : published;
}
