/**
 * Replacing the entry file only if it is still what we wrote or read. The
 * `running` marker is written without fsync: it is evidence for a crashed
 * *process* (which a rename already guarantees), and syncing it would double
 * the cost of every short run. Final results are synced (durable).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceFileIfUnchanged } from '../core/fs/atomic.ts';

export async function swapFileIfUnchanged(file: string, expected: string, data: string, options: { durable: boolean }): Promise<boolean> {
  if (options.durable) return replaceFileIfUnchanged(file, expected, data);
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current !== expected) return false;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.writeFile(tmp, data, { flag: 'wx' });
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return true;
}
