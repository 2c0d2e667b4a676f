/**
 * The bytes that stand in for an archived artifact: a WebP thumbnail (sharp) or
 * a zstd copy (Node's own zlib). `drop` keeps no bytes.
 */
import { createReadStream } from 'node:fs';
import zlib from 'node:zlib';
import type { ArchiveStrategy } from './policy.ts';

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

/** Whether this Node has zstd in zlib (22.15 and newer). */
export function zstdAvailable(): boolean {
  return typeof zlib.createZstdCompress === 'function';
}

/** Makes the stand-in from the blob file; returns null when it would not be smaller than the original (`size` bytes). */
export async function makeReplacement(strategy: ArchiveStrategy, file: string, size: number, options: TransformOptions = {}): Promise<Replacement | null> {
  if (strategy === 'drop') return null;
  if (strategy === 'compress') {
    const bytes = await compressFile(file, size);
    return bytes ? { bytes, type: 'application/zstd', ext: 'zst' } : null;
  }
  const sharp = (await import('sharp')).default;
  const thumb = options.thumbnailSize ?? 512;
  const { data, info } = await sharp(file, { animated: false, limitInputPixels: 268_402_689 })
    .rotate()
    .resize({ width: thumb, height: thumb, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: options.quality ?? 75 })
    .toBuffer({ resolveWithObject: true });
  return data.byteLength < size ? { bytes: data, type: 'image/webp', ext: 'webp', width: info.width, height: info.height } : null;
}

/** zstd of a file, streamed; gives up (null) as soon as the output is not smaller than the input. */
async function compressFile(file: string, size: number): Promise<Buffer | null> {
  const z = zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 19 } });
  const chunks: Buffer[] = [];
  let total = 0;
  const source = createReadStream(file);
  const done = new Promise<boolean>((resolve, reject) => {
    z.on('data', (c: Buffer) => {
      total += c.byteLength;
      if (total >= size) {
        source.destroy();
        z.destroy();
        resolve(false);
      } else chunks.push(c);
    });
    z.on('end', () => resolve(true));
    z.on('error', reject);
    source.on('error', reject);
  });
  source.pipe(z);
  return (await done) ? Buffer.concat(chunks) : null;
}
