import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../diagnostics.ts';
import { storageError } from './storage-error.ts';

/**
 * Writes a file atomically: a temp file in the same folder, fsync, then rename.
 * A crash leaves either the old file or the new one, never half of one.
 * `durable: false` skips the fsync, for derived files that can be rebuilt.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { durable?: boolean } = {}): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    // The replacement keeps the file's mode (a 600 secret stays 600) and, when we may, its owner.
    const before = await fs.stat(file).catch(() => null);
    const handle = await fs.open(tmp, 'wx', before ? before.mode & 0o7777 : 0o666);
    try {
      if (before) {
        await handle.chmod(before.mode & 0o7777);
        if (process.getuid?.() === 0) await handle.chown(before.uid, before.gid).catch(() => {});
      }
      await handle.writeFile(data);
      // Derived files (caches, .lab/) skip the fsync: they can always be rebuilt.
      if (options.durable ?? true) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    // A full disk or a read-only folder leaves no temp file behind, and says which file failed.
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw storageError(e, file);
  }
}

/**
 * Creates a new file atomically and refuses to replace an existing one: the
 * temp file is hard-linked into place, which fails if the target exists.
 */
export async function createFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.writeFile(tmp, data, { flag: 'wx' });
  try {
    await fs.link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new LabError(`refusing to overwrite ${file}: it already exists`);
    }
    throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Replaces a file only if it still has the content we read (no edit happened in
 * between): returns false, writing nothing, when it changed. The new bytes go to a
 * temp file first (keeping the file's mode); the comparison and the rename then run
 * back to back without yielding, so an edit can slip in only in the microseconds
 * between them, never during the slow write.
 */
export async function replaceFileIfUnchanged(file: string, expected: string | Uint8Array, data: string | Uint8Array): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) return false;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', stat.mode & 0o7777);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.chmod(stat.mode & 0o7777); // the umask narrowed the mode given to open
  } catch (e) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  let current: Buffer | null = null;
  try {
    current = readFileSync(file);
  } catch {
    current = null;
  }
  if (!current || !Buffer.from(expected).equals(current)) {
    await fs.rm(tmp, { force: true });
    return false;
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return true;
}

/** Writes only when the bytes differ, so derived files keep their mtime (and watchers stay quiet). */
export async function writeIfChanged(file: string, data: string): Promise<boolean> {
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current === data) return false;
  await writeFileAtomic(file, data);
  return true;
}
