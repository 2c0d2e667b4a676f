/** What the engine tells the outside world while entries run (the CLI draws it; the SDK may listen). */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Progress } from './types.ts';

/** Final state of one entry in a `lab run`. */
/** `error`: the entry could not be run at all (bad input); `refused`: it may not run now (already running, stale). */
export type RunOutcome = 'completed' | 'failed' | 'interrupted' | 'skipped' | 'refused' | 'conflict' | 'dry-run' | 'error';

/** The result of running (or not running) one entry. */
export interface RunResult {
  id: string | null;
  /** Workspace-relative path of the entry file. */
  path: string;
  type: string | null;
  outcome: RunOutcome;
  /** One-line reason for failed / refused / skipped / conflict. */
  message?: string;
  duration_seconds?: number;
  artifacts?: number;
  /** Where the result went when the entry file changed during the run. */
  sidecar?: string;
  /** Every problem when the entry could not run because of several (outcome `error`). */
  diagnostics?: Diagnostic[];
  /** The inputs hash of this run. */
  inputs_hash?: string;
  /** `--dry-run`: what running would do (e.g. `seed → 3.seed (KSampler)`), from the integration's `plan`. */
  plan?: string[];
}

export interface Reporter {
  /** An entry starts running. */
  start?(entry: { id: string; path: string; type: string }): void;
  progress?(id: string, progress: Progress): void;
  /** A chunk of live log output (already redacted). */
  log?(id: string, stream: string, chunk: string): void;
  end?(result: RunResult): void;
}
