/**
 * Replacing the entry file only if it is still what we wrote or read. The
 * `running` marker is written without fsync: it is evidence for a crashed
 * *process* (which a rename already guarantees), and syncing it would double
 * the cost of every short run. Final results are synced (durable).
 */
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../core/fs/atomic.ts';

export async function swapFileIfUnchanged(file: string, expected: string, data: string, options: { durable: boolean }): Promise<boolean> {
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current !== expected) return false;
  await writeFileAtomic(file, data, { durable: options.durable });
  return true;
}
