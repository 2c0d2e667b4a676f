/**
 * One sweep creates variations at a time: `.lab/sweep.lock`, created
 * exclusively (O_EXCL), holds the owner's pid, host and process start. Two
 * sweeps started at once take turns, so the second sees the first one's points
 * and creates no duplicate. A lock whose owner is gone (killed sweep) is
 * taken over; a live owner is waited for.
 */
import { promises as fs, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';

interface LockInfo {
  pid: number;
  host: string;
  /** Process start, so a reused pid is not taken for the owner. */
  started: string | null;
}

export async function withSweepLock<T>(root: string, fn: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const file = path.join(root, '.lab', 'sweep.lock');
  await fs.mkdir(path.dirname(file), { recursive: true });
  const me: LockInfo = { pid: process.pid, host: hostname(), started: processStart(process.pid) };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
    try {
      await fs.writeFile(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const ownerText = await fs.readFile(file, 'utf8').catch(() => null);
    const owner = ownerText === null ? null : parseLock(ownerText);
    if (owner && !isOwnerAlive(owner)) {
      // Rename first: of two waiters that both saw a dead owner, only one removes the lock.
      const claimed = `${file}.${process.pid}.stale`;
      if (
        await fs.rename(file, claimed).then(
          () => true,
          () => false,
        )
      ) {
        // Another waiter may have replaced the dead lock with its own live one in between: give that back.
        const taken = await fs.readFile(claimed, 'utf8').catch(() => null);
        if (taken !== null && taken !== ownerText) await fs.link(claimed, file).catch(() => undefined);
        await fs.rm(claimed, { force: true });
      }
      continue;
    }
    if (Date.now() > deadline) throw new LabError(`another sweep holds ${path.relative(root, file)} (pid ${owner?.pid ?? '?'}); try again when it finishes`);
    await new Promise((r) => setTimeout(r, wait));
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}

function parseLock(text: string): LockInfo | null {
  try {
    return JSON.parse(text) as LockInfo;
  } catch {
    return null; // being written right now: wait
  }
}

function isOwnerAlive(owner: LockInfo): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: assume it is running
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(owner.pid);
  return !owner.started || !started || started === owner.started;
}

/** The process start time from /proc (Linux); null elsewhere. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
