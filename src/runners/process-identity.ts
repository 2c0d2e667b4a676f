/**
 * Telling a live process from a dead one whose pid was reused: a pid plus the
 * time the process started (Linux: `/proc/<pid>/stat`, in clock ticks since
 * boot) names one process for good. Elsewhere only the pid is known.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';

/** When `pid` started, as an opaque token; null when it cannot be told (not Linux, or gone). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is still the process that started at `start` (a reused pid is not). */
export function isSameProcess(pid: number, start: string | null): boolean {
  if (!pidExists(pid)) return false;
  if (start === null) return true;
  const now = processStartTime(pid);
  return now === null || now === start;
}

/**
 * Whether any process of the group `pgid` is still alive. On Linux a group of
 * zombies (exited, never reaped: a container whose init does not reap) is not
 * alive: it would otherwise block the entry for good.
 */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return true; // no /proc: the signal said it exists
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, fields[2] the process group.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/** Signals a whole process group; false when it is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * The run a child process belongs to: the engine runs an integration inside
 * `processTracker.run(track, …)`, and `spawnTree` reports each process group it
 * starts, so the entry's lock can name it (no integration has to cooperate).
 */
export const processTracker = new AsyncLocalStorage<(pgid: number) => void>();
