/**
 * Writing zip files as a stream (yazl): files are read from disk only when the
 * archive reaches them, so memory stays flat however large the blobs are. Every
 * folder gets an explicit directory entry (some ELN importers need them), times
 * are fixed (the same input gives the same bytes), and already-compressed media
 * are stored rather than deflated again. The output is written to a temp file
 * and renamed into place.
 */

import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** Zip entries carry DOS local times; a fixed one keeps the archive reproducible. */
const MTIME = new Date(2000, 0, 1, 0, 0, 0);
const STORED = /\.(png|jpe?g|gif|webp|avif|zst|zip|gz|xz|bz2|7z|mp4|mov|webm|mp3|ogg|flac|pdf|eln)$/i;

export class ZipWriter {
  readonly #zip = new yazl.ZipFile();
  readonly #dirs = new Set<string>();

  /** Adds a file from disk (opened when the archive reaches it). */
  addFile(source: string, name: string): void {
    this.#parents(name);
    this.#zip.addFile(source, name, { mtime: MTIME, mode: 0o100644, compress: !STORED.test(name) });
  }

  addBuffer(data: Buffer, name: string): void {
    this.#parents(name);
    this.#zip.addBuffer(data, name, { mtime: MTIME, mode: 0o100644, compress: !STORED.test(name) });
  }

  /** Adds the directory entries of `name`'s folders, once each, parents first. */
  #parents(name: string): void {
    const segs = name.split('/').slice(0, -1);
    for (let i = 1; i <= segs.length; i++) {
      const dir = `${segs.slice(0, i).join('/')}/`;
      if (this.#dirs.has(dir)) continue;
      this.#dirs.add(dir);
      this.#zip.addEmptyDirectory(dir, { mtime: MTIME, mode: 0o40755 });
    }
  }

  /** Finishes the archive into `file` (atomically). */
  async writeTo(file: string): Promise<void> {
    const dir = path.dirname(path.resolve(file));
    const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    this.#zip.end();
    try {
      await pipeline(this.#zip.outputStream, createWriteStream(tmp, { flags: 'wx' }));
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }
}
