/**
 * A run's events, appended as JSON lines to `.lab/runs/<run_id>.jsonl` while it runs, so anyone
 * can follow a run — `lab serve` shows runs started by `lab run` in a terminal, and a browser
 * that reconnects replays exactly what it missed (`seq` increases by one per event, per run).
 *
 *   {"seq":1,"type":"started","run_id":…,"entry_id":…,"path":…,"entry_type":…,"pid":…,"host":…,"time":…}
 *   {"seq":2,"type":"log","stream":"stdout","text":"step 1\n"}
 *   {"seq":3,"type":"progress","value":1,"max":20,"message":"KSampler"}
 *   {"seq":4,"type":"artifact","artifact":{name,hash,type,size_bytes,…}}
 *   {"seq":5,"type":"completed" | "failed" | "interrupted","outcome":…,"message":…,"duration_seconds":…}
 *
 * The log is derived state (gitignored `.lab/`): writing it may fail without failing the run.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, RunEvent, RunEventType } from '../core/run-types.ts';

export type { RunEvent, RunEventType };

/** The event types that end a run. */
export const FINAL_EVENTS: readonly RunEventType[] = ['completed', 'failed', 'interrupted'];

/** Where run logs live, relative to the workspace root. */
export const RUNS_DIR = path.join('.lab', 'runs');

/** Run logs kept on disk; older ones are removed when a new run starts. */
const KEEP_LOGS = 500;

/** A fresh run id: sortable by start time, unique across processes. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d{3})Z$/, '$1');
  return `run-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** A run id as it may appear in a file name and a URL. */
export function isRunId(id: string): boolean {
  return /^run-[0-9A-Za-z-]{1,80}$/.test(id);
}

/** The log file of a run. */
export function runLogFile(root: string, runId: string): string {
  return path.join(root, RUNS_DIR, `${runId}.jsonl`);
}

/** Appends a run's events to its log and hands each one to `listener` (in process). */
export class RunEventLog {
  readonly runId: string;
  #fd: number | null = null;
  #seq = 0;
  #ended = false;
  readonly #listener?: (event: RunEvent) => void;

  constructor(root: string, runId: string, listener?: (event: RunEvent) => void) {
    this.runId = runId;
    this.#listener = listener;
    try {
      mkdirSync(path.join(root, RUNS_DIR), { recursive: true });
      pruneOldLogs(path.join(root, RUNS_DIR));
      // Synchronous appends keep events in order and visible to readers at once.
      this.#fd = openSync(runLogFile(root, runId), 'a');
    } catch {
      this.#fd = null; // a read-only .lab/ must not stop the run
    }
  }

  get ended(): boolean {
    return this.#ended;
  }

  emit(type: RunEventType, fields: Record<string, unknown> = {}): void {
    if (this.#ended) return;
    const event: RunEvent = { seq: ++this.#seq, type, ...fields };
    if (FINAL_EVENTS.includes(type)) this.#ended = true;
    if (this.#fd !== null) {
      try {
        writeSync(this.#fd, JSON.stringify(event) + '\n');
      } catch {
        this.#closeFile();
      }
    }
    try {
      this.#listener?.(event);
    } catch {
      /* a listener's bug must not break the run */
    }
    if (this.#ended) this.#closeFile();
  }

  #closeFile(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      /* already closed */
    }
    this.#fd = null;
  }
}

function pruneOldLogs(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  if (names.length < KEEP_LOGS) return;
  const byAge = names.map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - KEEP_LOGS + 1)) unlinkSync(path.join(dir, n));
}

/**
 * The engine's reporter with the run's events added: progress and log lines as the terminal gets them
 * (already redacted and bounded), and the final event from the result.
 */
export function reportingEvents(reporter: Reporter | undefined, events: RunEventLog): Reporter {
  return {
    start: (entry) => reporter?.start?.(entry),
    progress(id, progress) {
      reporter?.progress?.(id, progress);
      events.emit('progress', { value: progress.value, max: progress.max, message: progress.message });
    },
    log(id, stream, chunk) {
      reporter?.log?.(id, stream, chunk);
      events.emit('log', { stream, text: chunk });
    },
    end(result) {
      reporter?.end?.(result);
      const type = (FINAL_EVENTS as readonly string[]).includes(result.outcome) ? (result.outcome as RunEventType) : 'failed';
      events.emit(type, {
        outcome: result.outcome,
        message: result.message,
        duration_seconds: result.duration_seconds,
        artifacts: result.artifacts,
        sidecar: result.sidecar,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    },
  };
}
