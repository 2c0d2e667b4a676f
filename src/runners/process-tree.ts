/**
 * Runs a process in its own process group so the whole tree (a shell, the
 * script it starts, that script's workers) can be stopped at once on Ctrl-C
 * or a timeout: SIGTERM to the group, then SIGKILL if it lingers.
 */
import { spawn } from 'node:child_process';
import { processTracker, signalGroup as signalProcessGroup } from './process-identity.ts';

export interface TreeExit {
  /** Exit code; null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed because `timeoutMs` passed. */
  timedOut: boolean;
  /** Killed because `signal` was aborted. */
  aborted: boolean;
  /** Why the process could not be started (e.g. `no such file or directory`). */
  spawnError?: string;
}

export interface TreeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL. */
  killAfterMs?: number;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
}

/** Process groups started and not yet ended: stopped on a hard exit (a second Ctrl-C). */
const activeGroups = new Set<number>();

/** SIGKILLs every process group still running (before the process exits at once). */
export function killActiveGroups(): void {
  for (const g of activeGroups) signalGroup(g, 'SIGKILL');
  activeGroups.clear();
}

export function spawnTree(argv: string[], options: TreeOptions): Promise<TreeExit> {
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | null = null;
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // The run's lock records the group, so a runner killed outright leaves a trace of what it started.
    if (child.pid !== undefined) {
      processTracker.getStore()?.(child.pid);
      activeGroups.add(child.pid);
    }
    const killTree = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), options.killAfterMs ?? 3000);
      killTimer.unref();
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killTree();
        }, options.timeoutMs)
      : null;
    const onAbort = () => {
      aborted = true;
      killTree();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => options.onStdout?.(c));
    child.stderr.on('data', (c: Buffer) => options.onStderr?.(c));
    const finish = (exit: TreeExit) => {
      if (child.pid !== undefined) activeGroups.delete(child.pid);
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Children that outlived the main process (daemons it forgot) go too.
      if (child.pid !== undefined && (timedOut || aborted)) signalGroup(child.pid, 'SIGKILL');
      resolve(exit);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' ? 'command not found' : e.code === 'EACCES' ? 'permission denied' : e.message;
      finish({ code: null, signal: null, timedOut, aborted, spawnError: why });
    });
    child.on('close', (code, signal) => finish({ code, signal, timedOut, aborted }));
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  signalProcessGroup(pid, signal); // false when already gone
}
