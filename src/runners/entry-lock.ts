/**
 * One run per entry at a time: an exclusive lock file per entry in
 * `.lab/locks/`, created with O_EXCL, recording the runner's pid and process
 * start time (so a reused pid is not mistaken for a live run) and the process
 * group of the command it started (so a runner killed with SIGKILL leaves no
 * orphan that a second run would duplicate).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { groupExists, isSameProcess, processStartTime, signalGroup } from './process-identity.ts';

/** What a lock file holds. */
export interface LockRecord {
  /** Workspace-relative path of the entry. */
  path: string;
  host: string;
  pid: number;
  /** Start time of `pid` (see processStartTime); null where unknown. */
  start: string | null;
  /** Process groups the run started (a command and everything it spawned). */
  groups: number[];
}

/** Why an entry's lock could not be taken. */
export interface LockRefusal {
  reason: string;
  holder: LockRecord;
}

/** The state of an entry's lock right now. */
export type LockState =
  | { state: 'free' }
  | { state: 'running'; holder: LockRecord }
  /** The runner is gone; `orphans` are process groups it started that still run. */
  | { state: 'stale'; holder: LockRecord; orphans: number[] }
  /** Held on another host: cannot be checked from here. */
  | { state: 'foreign'; holder: LockRecord };

export function lockFile(root: string, relPath: string): string {
  const key = createHash('sha256').update(relPath).digest('hex').slice(0, 24);
  return path.join(root, '.lab', 'locks', `${key}.json`);
}

/** The same, synchronously (for reports that look at many entries). */
export function inspectLockSync(root: string, relPath: string): LockState {
  let text: string;
  try {
    text = readFileSync(lockFile(root, relPath), 'utf8');
  } catch {
    return { state: 'free' };
  }
  const holder = parseLock(text);
  return holder ? judge(holder) : { state: 'free' };
}

function judge(holder: LockRecord): LockState {
  if (holder.host !== hostname()) return { state: 'foreign', holder };
  if (isSameProcess(holder.pid, holder.start)) return { state: 'running', holder };
  return { state: 'stale', holder, orphans: holder.groups.filter(groupExists) };
}

/** A held lock: record the process groups the run starts; release it at the end. */
export class EntryLock {
  #file: string;
  #record: LockRecord;

  constructor(file: string, record: LockRecord) {
    this.#file = file;
    this.#record = record;
  }

  /**
   * Remembers a process group started by the run, written synchronously before the child's first
   * output can reach anyone: a SIGKILL may come any time after that, and the next run must know.
   */
  async addGroup(pgid: number): Promise<void> {
    this.#record.groups.push(pgid);
    try {
      const tmp = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(this.#record)}\n`);
      renameSync(tmp, this.#file);
    } catch {
      /* a lock that cannot be updated still guards the run; only the orphan trace is lost */
    }
  }

  async release(): Promise<void> {
    const now = await readLock(this.#file);
    if (now && now.pid === this.#record.pid && now.start === this.#record.start) await fs.rm(this.#file, { force: true });
  }
}

/**
 * Takes the entry's lock, or says why not. A lock whose runner is dead is
 * broken; one whose runner left a command running is broken only with `force`
 * (which stops that command first), as is one held on another host.
 */
export async function acquireLock(root: string, relPath: string, options: { force?: boolean } = {}): Promise<EntryLock | LockRefusal> {
  const file = lockFile(root, relPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const mine: LockRecord = { path: relPath, host: hostname(), pid: process.pid, start: processStartTime(process.pid), groups: [] };
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written whole, then hard-linked into place: the lock appears with its content or not at all.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(mine)}\n`);
    try {
      await fs.link(tmp, file);
      return new EntryLock(file, mine);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    if (text === null) continue; // released meanwhile
    const holder = parseLock(text);
    const state = holder ? judge(holder) : null;
    if (state?.state === 'running') return { reason: `is already running (pid ${state.holder.pid}); one run per entry at a time`, holder: state.holder };
    if (state?.state === 'foreign' && !options.force) {
      return { reason: `is being run on host ${state.holder.host} (pid ${state.holder.pid}); if that run is gone, re-run with --force`, holder: state.holder };
    }
    if (state?.state === 'stale' && state.orphans.length) {
      if (!options.force) {
        return {
          reason: `was run by a process that is gone, but the command it started is still running (process group ${state.orphans.join(', ')}); stop it, or re-run with --force to stop it and run again`,
          holder: state.holder,
        };
      }
      await stopGroups(state.orphans);
    }
    // Break the stale lock: move it aside, and put it back if what moved is not what was judged (someone else's fresh lock).
    const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await fs.rename(file, aside);
    } catch {
      continue;
    }
    const moved = await fs.readFile(aside, 'utf8').catch(() => null);
    if (moved !== text) {
      await fs.link(aside, file).catch(() => {});
      await fs.rm(aside, { force: true });
      continue;
    }
    await fs.rm(aside, { force: true });
  }
  const holder = await readLock(file);
  return { reason: 'is locked by another run that keeps changing; try again', holder: holder ?? mine };
}

/** SIGTERM, then SIGKILL after a grace period, to each group still alive. */
async function stopGroups(groups: number[], graceMs = 3000): Promise<void> {
  for (const g of groups) signalGroup(g, 'SIGTERM');
  const end = Date.now() + graceMs;
  while (Date.now() < end && groups.some(groupExists)) await new Promise((r) => setTimeout(r, 50));
  for (const g of groups) if (groupExists(g)) signalGroup(g, 'SIGKILL');
}

async function readLock(file: string): Promise<LockRecord | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  return text === null ? null : parseLock(text);
}

function parseLock(text: string): LockRecord | null {
  try {
    const v = JSON.parse(text) as Partial<LockRecord>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return {
      path: String(v.path ?? ''),
      host: v.host,
      pid: v.pid,
      start: typeof v.start === 'string' ? v.start : null,
      groups: Array.isArray(v.groups) ? v.groups.filter((g) => Number.isInteger(g) && g > 1) : [],
    };
  } catch {
    return null; // a half-written lock from a crash is stale
  }
}

async function writeRecord(file: string, record: LockRecord): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(record)}\n`);
  await fs.rename(tmp, file);
}
