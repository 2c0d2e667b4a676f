/**
 * Runs several entries, `jobs` at a time. The first Ctrl-C stops starting new
 * ones and interrupts the running ones (their entries are marked
 * `interrupted`, partial logs kept); a second Ctrl-C exits at once.
 */
import path from 'node:path';
import { LabError, type Diagnostic } from '../core/diagnostics.ts';
import { executeEntry, RunInterrupted, type ExecuteOptions } from './engine.ts';
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
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nInterrupting (Ctrl-C again to quit at once)…\n');
      controller.abort(new RunInterrupted());
    } else process.exit(130);
  };
  if (options.handleSigint !== false) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
  }
  const results: RunResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      if (controller.signal.aborted) {
        results[i] = { id: null, path: rel(options.root, file), type: null, outcome: 'interrupted', message: 'not started (interrupted)' };
        continue;
      }
      try {
        results[i] = await executeEntry(file, { ...options, signal: controller.signal });
      } catch (e) {
        if (!(e instanceof LabError)) throw e;
        options.onError?.(e.message, e.diagnostics);
        results[i] = { id: null, path: rel(options.root, file), type: null, outcome: 'error', message: e.message };
        if (e.diagnostics.length) results[i].diagnostics = e.diagnostics;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs ?? 1, files.length) }, worker));
  } finally {
    if (options.handleSigint !== false) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  }
  return results;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
