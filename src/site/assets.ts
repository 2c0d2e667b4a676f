/**
 * Which files the site links to, computed from the index and one scan of the blob store: blobs
 * (downloads, full-size images, logs) and thumbnails (one per raster image). Shared by the loader
 * (to render pages) and the build (to make thumbnails in parallel, copy files, write the API).
 */
import path from 'node:path';
import { isRasterImage } from '../core/mime.ts';
import type { JournalIndex } from '../core/model.ts';
import { blobHex, scanBlobs } from './blobs.ts';
import { type ImageSource, readThumbManifest, type ThumbInfo, thumbFile, thumbSize } from './thumbnails.ts';

/** Assets the built site links to; the build copies exactly these into `dist/`. */
export interface SiteAssets {
  /** hex → path relative to `content/blobs/`. */
  blobs: Record<string, string>;
  /** hex → thumbnail file in `.lab/thumbs/`. */
  thumbs: Record<string, string>;
  /** Files notes link to: site path (`files/<sha256>/<name>`) → workspace-relative path (src/site/note-files.ts). */
  files?: Record<string, string>;
}

export interface AssetPlan {
  /** Every blob in the store: hex → path relative to `content/blobs/`. */
  store: Map<string, string>;
  /** Raster images that need a thumbnail: hex → blob file and recorded size. */
  images: Map<string, ImageSource>;
  /** Thumbnails whose size is known without making them (recorded size, or already made). */
  known: Map<string, ThumbInfo>;
  /** Images with no recorded size and no thumbnail yet: their size is known only once made. */
  unknown: Map<string, ImageSource>;
  assets: SiteAssets;
}

export function planAssets(root: string, index: JournalIndex): AssetPlan {
  const store = scanBlobs(root);
  const manifest = readThumbManifest(path.join(root, '.lab', 'thumbs'));
  const images = new Map<string, ImageSource>();
  const known = new Map<string, ThumbInfo>();
  const unknown = new Map<string, ImageSource>();
  const linked = new Set<string>();
  for (const entry of index.entries) {
    for (const h of Object.values(entry.logs)) linked.add(blobHex(h) ?? '');
    for (const artifact of entry.artifacts) {
      const hex = blobHex(artifact.hash);
      const rel = hex && store.get(hex);
      if (!hex || !rel) continue;
      linked.add(hex);
      if (!isRasterImage(artifact.type, rel) || images.has(hex)) continue;
      const source: ImageSource = { file: path.join(root, 'content', 'blobs', rel), width: artifact.width, height: artifact.height };
      images.set(hex, source);
      const file = thumbFile(hex);
      const made = manifest[file];
      if (made) known.set(hex, { file, width: made[0], height: made[1] });
      else if (artifact.width && artifact.height) {
        const [width, height] = thumbSize(artifact.width, artifact.height);
        known.set(hex, { file, width, height });
      } else unknown.set(hex, source);
    }
  }
  const assets: SiteAssets = { blobs: {}, thumbs: {} };
  for (const hex of [...linked].sort()) {
    const rel = store.get(hex);
    if (rel) assets.blobs[hex] = rel;
    if (images.has(hex)) assets.thumbs[hex] = thumbFile(hex);
  }
  return { store, images, known, unknown, assets };
}
