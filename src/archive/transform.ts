/**
 * The bytes that stand in for an archived artifact: a WebP thumbnail (sharp) or
 * a zstd copy (Node's own zlib). `drop` keeps no bytes.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ArchiveStrategy } from './policy.ts';

const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

/** What replaces the original, or null when nothing should (no saving, or `drop`). */
export interface Replacement {
  bytes: Uint8Array;
  type: string;
  ext: string;
  width?: number;
  height?: number;
}

export interface TransformOptions {
  /** Longest side of a thumbnail, in pixels (default 512). */
  thumbnailSize?: number;
  /** WebP quality 1–100 (default 75). */
  quality?: number;
}

/** Makes the stand-in; returns null when it would not be smaller than the original. */
export async function makeReplacement(strategy: ArchiveStrategy, original: Buffer, options: TransformOptions = {}): Promise<Replacement | null> {
  if (strategy === 'drop') return null;
  if (strategy === 'compress') {
    const bytes = await zstdCompress(original, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 19 } });
    return bytes.byteLength < original.byteLength ? { bytes, type: 'application/zstd', ext: 'zst' } : null;
  }
  const sharp = (await import('sharp')).default;
  const size = options.thumbnailSize ?? 512;
  const { data, info } = await sharp(original, { animated: false, limitInputPixels: 268_402_689 })
    .rotate()
    .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: options.quality ?? 75 })
    .toBuffer({ resolveWithObject: true });
  return data.byteLength < original.byteLength ? { bytes: data, type: 'image/webp', ext: 'webp', width: info.width, height: info.height } : null;
}

/** The original bytes of a `compress`-archived artifact. */
export function decompress(bytes: Uint8Array): Promise<Buffer> {
  return zstdDecompress(bytes);
}
