/**
 * The plain types of running an entry, shared by the runners (which produce
 * them) and the SDK handles (which pass them through). Types only: the compiler
 * never runs anything.
 */
import type { Diagnostic } from './diagnostics.ts';

/** Progress of a running entry: a step counter and/or a one-line message. */
export interface Progress {
  /** Steps done so far (e.g. sampler step 12). */
  value?: number;
  /** Steps in total (e.g. 20); with `value` this draws a bar. */
  max?: number;
  /** What is happening now, e.g. `KSampler (node 3)`. */
  message?: string;
}

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

/** Options of `executeEntry` (the CLI's flags). */
export interface ExecuteOptions {
  /** Workspace root; found by walking up from the entry when absent. */
  root?: string;
  /** Run even if completed and up to date (or stale). */
  force?: boolean;
  /** Allow re-running completed entries whose inputs changed (`lab run --stale`). */
  stale?: boolean;
  /** The entry was picked by --all/--page/--notebook rather than named: a stale completed entry is skipped, not refused. */
  broad?: boolean;
  /** Validate and report what would run; write nothing. */
  dryRun?: boolean;
  /** Abort the run after this many milliseconds (the process tree is killed); the entry is marked failed. */
  timeoutMs?: number;
  /** Aborting it (Ctrl-C) marks the entry interrupted, keeping partial logs. */
  signal?: AbortSignal;
  reporter?: Reporter;
  /** Environment for `${env:…}` placeholders (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Bytes of each log stream kept (head and tail together); the rest is counted and left out. Default `LAB_LOG_LIMIT` or 4 MiB. */
  logLimitBytes?: number;
  /** Id of the run's event log (`.lab/runs/<runId>.jsonl`); a fresh one when absent. */
  runId?: string;
  /** Receives every event written to the run's log, in order (how `lab serve` streams a run it started). */
  onEvent?(event: RunEvent): void;
}

/** What can happen in a run, in the order it happens (`started` first, one of the last three last). */
export type RunEventType = 'started' | 'progress' | 'log' | 'artifact' | 'completed' | 'failed' | 'interrupted';

/** One event of a run (`.lab/runs/<run_id>.jsonl`, `lab serve`'s WebSocket). Fields beyond these depend on `type`. */
export interface RunEvent {
  /** 1, 2, 3 … per run: a client that saw `seq` n asks for events after n. */
  seq: number;
  type: RunEventType;
  [field: string]: unknown;
}
