/**
 * Thumbnails for image artifacts, made with sharp and cached in `.lab/thumbs/<sha256>-<width>.webp`
 * by blob hash and width: a thumbnail is never made twice. A small manifest remembers each
 * thumbnail's pixel size so pages can put `width`/`height` on every `<img>` without reading images.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The one thumbnail width the site uses (cards, grid, gallery, lineage nodes). */
const THUMB_WIDTH = 400;

export interface ThumbInfo {
  /** File name inside `.lab/thumbs/` (and `<base>thumbs/` in the site). */
  file: string;
  width: number;
  height: number;
}

export interface ThumbnailRun {
  thumbs: Map<string, ThumbInfo>;
  /** Thumbnails made in this run (0 on a rebuild with no new image). */
  made: number;
  /** Images sharp could not read: `hex → message`. */
  failed: Map<string, string>;
}

type Manifest = Record<string, [number, number]>;

/** One image to make a thumbnail of: the blob file and, when the runner recorded them, its pixel size. */
export interface ImageSource {
  file: string;
  width?: number;
  height?: number;
}

/**
 * The thumbnail's pixel size for an image of `width`×`height`: `THUMB_WIDTH` wide (never enlarged),
 * height in proportion. Thumbnails are made at exactly this size, so pages can be rendered before
 * (or while) the thumbnails are made.
 */
export function thumbSize(width: number, height: number, max = THUMB_WIDTH): [number, number] {
  const w = Math.min(max, width);
  return [w, Math.max(1, Math.round((height * w) / width))];
}

export function thumbFile(hex: string, width = THUMB_WIDTH): string {
  return `${hex}-${width}.webp`;
}

/** Sizes already known from the manifest in `thumbsDir`. */
export function readThumbManifest(thumbsDir: string): Manifest {
  try {
    return JSON.parse(readFileSync(path.join(thumbsDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return {};
  }
}

/**
 * Makes the missing thumbnails for `images` (hex → absolute blob path), 3 at a time.
 * @param thumbsDir usually `<root>/.lab/thumbs`
 */
export async function ensureThumbnails(thumbsDir: string, images: Map<string, ImageSource>, width = THUMB_WIDTH, concurrency = 3): Promise<ThumbnailRun> {
  mkdirSync(thumbsDir, { recursive: true });
  const manifestFile = path.join(thumbsDir, 'manifest.json');
  const manifest = readThumbManifest(thumbsDir);
  const made: Manifest = {};
  const thumbs = new Map<string, ThumbInfo>();
  const failed = new Map<string, string>();
  const todo: [string, ImageSource][] = [];
  for (const [hex, source] of [...images].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const file = thumbFile(hex, width);
    const known = manifest[file];
    if (known && existsSync(path.join(thumbsDir, file))) thumbs.set(hex, { file, width: known[0], height: known[1] });
    else todo.push([hex, source]);
  }
  if (todo.length) {
    const { default: sharp } = await import('sharp');
    sharp.concurrency(1); // parallelism comes from running several images at once
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const [hex, source] = todo[next++]!;
        const file = thumbFile(hex, width);
        try {
          const size = source.width && source.height ? thumbSize(source.width, source.height, width) : null;
          const { data, info } = await sharp(source.file, { failOn: 'none', animated: false })
            .resize(size ? { width: size[0], height: size[1], fit: 'fill' } : { width, withoutEnlargement: true })
            .webp({ quality: 78, effort: 2 })
            .toBuffer({ resolveWithObject: true });
          const tmp = path.join(thumbsDir, `.${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
          writeFileSync(tmp, data);
          renameSync(tmp, path.join(thumbsDir, file));
          made[file] = [info.width, info.height];
          thumbs.set(hex, { file, width: info.width, height: info.height });
        } catch (error) {
          failed.set(hex, (error as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
    // Merge with what is on disk now: another run may have added thumbnails meanwhile.
    const merged: Manifest = { ...readThumbManifest(thumbsDir), ...made };
    const sorted: Manifest = {};
    for (const key of Object.keys(merged).sort()) sorted[key] = merged[key]!;
    const tmp = `${manifestFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify(sorted) + '\n');
    renameSync(tmp, manifestFile);
  }
  return { thumbs, made: Object.keys(made).length, failed };
}
