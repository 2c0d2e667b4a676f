/**
 * Runs several entries, `jobs` at a time. The first Ctrl-C stops starting new
 * ones and interrupts the running ones (their entries are marked
 * `interrupted`, partial logs kept); a second Ctrl-C exits at once.
 */
import path from 'node:path';
import { type Diagnostic, LabError } from '../core/diagnostics.ts';
import { type ExecuteOptions, executeEntry, RunInterrupted } from './engine.ts';
import { killActiveGroups } from './process-tree.ts';
import type { RunResult } from './reporter.ts';

export interface RunManyOptions extends Omit<ExecuteOptions, 'signal'> {
  root: string;
  jobs?: number;
  /** Called with the one-line message of an entry that could not start (bad input). */
  onError?(message: string, diagnostics: Diagnostic[]): void;
  /** Install a SIGINT handler (default true). */
  handleSigint?: boolean;
}

export async function runMany(files: string[], options: RunManyOptions): Promise<RunResult[]> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (signal?: NodeJS.Signals) => {
    interrupts++;
    if (signal === 'SIGHUP') {
      // The terminal is gone: writing to it would fail, and nobody would read it.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    }
    if (interrupts === 1) {
      if (signal !== 'SIGHUP') process.stderr.write('\nInterrupting (Ctrl-C again to quit at once)…\n');
      controller.abort(new RunInterrupted(signal === 'SIGHUP' ? 'interrupted (terminal hung up)' : signal === 'SIGTERM' ? 'interrupted (SIGTERM)' : undefined));
    } else {
      killActiveGroups(); // leave no command running behind
      process.exit(130);
    }
  };
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  if (options.handleSigint !== false) for (const s of SIGNALS) process.on(s, onSigint);
  const results: RunResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      if (controller.signal.aborted) {
        results[i] = { id: null, path: rel(options.root, file), type: null, outcome: 'interrupted', message: 'not started (interrupted)' };
        continue;
      }
      try {
        results[i] = await executeEntry(file, { ...options, signal: controller.signal });
      } catch (e) {
        // One entry's fault (bad input, a full disk, a bug) ends that entry; the batch goes on.
        const message = e instanceof LabError ? e.message : `${rel(options.root, file)}: ${(e as Error)?.message ?? String(e)}`;
        const diagnostics = e instanceof LabError ? e.diagnostics : [];
        options.onError?.(message, diagnostics);
        results[i] = { id: null, path: rel(options.root, file), type: null, outcome: 'error', message };
        if (diagnostics.length) results[i].diagnostics = diagnostics;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs ?? 1, files.length) }, worker));
  } finally {
    if (options.handleSigint !== false) for (const s of SIGNALS) process.off(s, onSigint);
  }
  return results;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
