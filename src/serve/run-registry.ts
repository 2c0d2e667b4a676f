/**
 * Every run the server knows: the ones it started (in process, events straight from the engine)
 * and the ones another process started — `lab run` in a terminal — followed by reading their event
 * logs under `.lab/runs/` as they grow. Runs belong to the server, not to a client: closing every
 * browser tab does not stop one.
 */
import { promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { executeEntry, RunTimeout } from '../runners/engine.ts';
import { isRunId, newRunId, RUNS_DIR, type RunEvent, runLogFile } from '../runners/run-events.ts';
import { HttpError } from './http-error.ts';
import { Run, type RunSummary } from './run.ts';

/** How often logs of other processes' runs are read for new events. */
const TAIL_INTERVAL_MS = 150;

export interface StartOptions {
  force?: boolean;
  stale?: boolean;
  timeoutSeconds?: number;
}

export class RunRegistry {
  readonly #root: string;
  readonly #runs = new Map<string, Run>();
  readonly #tails = new Map<string, { offset: number; pending: string }>();
  readonly #entryOfLog = new Map<string, string>();
  readonly #onFileWritten: () => void;
  #timer: NodeJS.Timeout | null = null;

  /** `onFileWritten` is called when a run this server started has written its entry file. */
  constructor(root: string, onFileWritten: () => void) {
    this.#root = root;
    this.#onFileWritten = onFileWritten;
  }

  /**
   * Starts running the entry file and resolves once it has started; a run the CLI would refuse
   * (running, completed, stale) is a 409 with the CLI's reason, an entry that cannot run (bad inputs) a
   * 409 with its problems. The run then goes on by itself.
   */
  start(file: string, options: StartOptions = {}): Promise<Run> {
    const run = new Run(newRunId(), 'server');
    return new Promise<Run>((resolve, reject) => {
      let started = false;
      const timer = options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined;
      executeEntry(file, {
        root: this.#root,
        force: options.force,
        stale: options.stale,
        timeoutMs: timer,
        runId: run.id,
        signal: run.abort.signal,
        onEvent: (event) => {
          if (event.type === 'started') {
            started = true;
            this.#runs.set(run.id, run);
            this.#onFileWritten();
            resolve(run);
          }
          run.push(event);
        },
      }).then(
        (result) => {
          this.#onFileWritten();
          if (started) return;
          const reason = result.message ?? `${result.path}: ${result.outcome}`;
          reject(new HttpError(409, reason, { reason }));
        },
        (error: unknown) => {
          this.#onFileWritten();
          if (started) {
            // The engine stopped after starting without reporting an end: clients must not wait forever.
            run.push({ seq: run.lastSeq + 1, type: 'failed', outcome: 'failed', message: (error as Error)?.message ?? String(error) });
            return;
          }
          if (error instanceof LabError) {
            const problems = error.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`);
            const reason = [error.message, ...problems].join('\n');
            reject(new HttpError(409, reason, { reason }));
          } else reject(error instanceof RunTimeout ? new HttpError(409, error.message) : error);
        },
      );
    });
  }

  /** A run by id: one in memory, or one read from its event log (and followed while it runs). */
  async get(runId: string): Promise<Run | null> {
    const known = this.#runs.get(runId);
    if (known) return known;
    if (!isRunId(runId)) return null;
    const exists = await fs.stat(runLogFile(this.#root, runId)).then(
      () => true,
      () => false,
    );
    if (!exists) return null;
    const run = new Run(runId, 'log');
    this.#runs.set(runId, run);
    this.#tails.set(runId, { offset: 0, pending: '' });
    await this.#readLog(runId, run);
    if (!run.ended) this.#startTimer();
    else this.#tails.delete(runId);
    return run;
  }

  /** Runs newest first (at most `limit`), optionally of one entry. */
  async list(options: { entryId?: string; limit?: number } = {}): Promise<RunSummary[]> {
    let names: string[] = [];
    try {
      names = readdirSync(path.join(this.#root, RUNS_DIR))
        .filter((n) => n.endsWith('.jsonl'))
        .map((n) => n.slice(0, -6));
    } catch {
      /* no runs yet */
    }
    const ids = [...new Set([...names, ...this.#runs.keys()])].sort().reverse();
    const out: RunSummary[] = [];
    for (const id of ids) {
      // A log not followed yet is judged by its first line, so listing never loads every old run.
      if (!this.#runs.has(id) && options.entryId && (await this.#entryOf(id)) !== options.entryId) continue;
      const run = await this.get(id);
      if (!run) continue;
      const summary = run.summary();
      if (options.entryId && summary.entry_id !== options.entryId) continue;
      out.push(summary);
      if (out.length >= (options.limit ?? 50)) break;
    }
    return out;
  }

  /** The entry id in a log's `started` line (cached: a log's first line never changes). */
  async #entryOf(runId: string): Promise<string | null> {
    const known = this.#entryOfLog.get(runId);
    if (known) return known;
    let entryId: string | null = null;
    try {
      const handle = await fs.open(runLogFile(this.#root, runId), 'r');
      try {
        const buffer = Buffer.alloc(4096);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        const line = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]!;
        entryId = (JSON.parse(line) as { entry_id?: string }).entry_id ?? null;
      } finally {
        await handle.close();
      }
    } catch {
      entryId = null;
    }
    if (entryId) this.#entryOfLog.set(runId, entryId); // an empty new log gets another look next time
    return entryId;
  }

  /** Interrupts the runs this server started (their entries are marked interrupted) and waits briefly. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    const running = [...this.#runs.values()].filter((r) => r.source === 'server' && !r.ended);
    for (const run of running) run.abort.abort();
    const deadline = Date.now() + 10_000;
    while (running.some((r) => !r.ended) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#poll(), TAIL_INTERVAL_MS);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    for (const [id] of [...this.#tails]) {
      const run = this.#runs.get(id)!;
      await this.#readLog(id, run);
      if (!run.ended && this.#processGone(run)) {
        await this.#readLog(id, run); // it may have written its last event just before exiting
        const pid = run.started?.pid;
        if (!run.ended) run.push({ seq: run.lastSeq + 1, type: 'interrupted', outcome: 'interrupted', message: `the process running it (pid ${pid}) is gone` });
      }
      if (run.ended) this.#tails.delete(id);
    }
    if (!this.#tails.size && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  async #readLog(id: string, run: Run): Promise<void> {
    const tail = this.#tails.get(id);
    if (!tail) return;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(runLogFile(this.#root, id), 'r');
    } catch {
      return;
    }
    try {
      const { size } = await handle.stat();
      if (size <= tail.offset) return;
      const buffer = Buffer.alloc(size - tail.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, tail.offset);
      tail.offset += bytesRead;
      const text = tail.pending + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      tail.pending = lines.pop() ?? ''; // a line still being written
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          run.push(JSON.parse(line) as RunEvent);
        } catch {
          /* a damaged line: skip it, the next ones still count */
        }
      }
    } finally {
      await handle.close();
    }
  }

  /** True when the process of another process's run is gone (killed, crashed): it ends as interrupted. */
  #processGone(run: Run): boolean {
    const started = run.started;
    if (!started || started.host !== os.hostname() || typeof started.pid !== 'number') return false;
    try {
      process.kill(started.pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'EPERM';
    }
  }
}
