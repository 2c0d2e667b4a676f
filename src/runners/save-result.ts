/**
 * The last step of a run: the entry file is replaced with its result, unless
 * it was edited meanwhile (then the result goes to a `.result.yaml` sidecar).
 * A storage fault here (a full disk, a read-only folder) is reported with the
 * path, never as an internal error, and the entry is not left `running` when
 * a smaller record can still be written.
 */
import path from 'node:path';
import { writeFileAtomic } from '../core/fs/atomic.ts';
import { storageError } from '../core/fs/storage-error.ts';
import type { LoadedEntry } from './entry-file.ts';
import type { RunResult } from './reporter.ts';
import { execution, oneLine, sidecarText } from './run-record.ts';
import { swapFileIfUnchanged } from './swap.ts';
import { applyRunnerValues, type RunnerValues } from './write-back.ts';

/** Writes the result (or its sidecar); updates `outcome` for a conflict or a lost result. */
export async function saveResult(
  entry: LoadedEntry,
  runningText: string,
  values: RunnerValues,
  outcome: RunResult,
  redact: (s: string) => string,
): Promise<void> {
  const { absPath, root } = entry;
  try {
    const finalText = applyRunnerValues(runningText, entry.format, values);
    if (!(await swapFileIfUnchanged(absPath, runningText, finalText, { durable: true }))) {
      const sidecar = `${absPath}.result.yaml`;
      await writeFileAtomic(sidecar, await sidecarText(entry, values));
      outcome.outcome = 'conflict';
      outcome.sidecar = path.relative(root, sidecar).split(path.sep).join('/');
      outcome.message = `${entry.relPath} was edited while it ran (${values.status}); its file was not overwritten — the result is in ${outcome.sidecar}`;
    }
  } catch (e) {
    const why = redact(oneLine(storageError(e, absPath, root).message));
    await recordFailure(entry, runningText, values, why);
    outcome.outcome = 'failed';
    outcome.message = `${entry.relPath}: the result could not be saved: ${why}`;
  }
}

/**
 * The result could not be written: try the smallest record that still tells
 * the truth — `failed`, and why. If even that fails, `lab check` reports the
 * entry as stuck `running`.
 */
async function recordFailure(entry: LoadedEntry, runningText: string, values: RunnerValues, why: string): Promise<void> {
  const exec = { ...(values.execution as Record<string, unknown>), error: `the result could not be saved: ${why}` };
  try {
    const text = applyRunnerValues(runningText, entry.format, { status: 'failed', execution: execution(exec), logs: undefined });
    await swapFileIfUnchanged(entry.absPath, runningText, text, { durable: true });
  } catch {
    // Nothing more can be written here; the caller reports the failure.
  }
}
