/**
 * One run as the server holds it: every event so far (kept until the server stops) and the
 * clients following it. A client says which `seq` it saw last and gets exactly what came after —
 * replayed first, then live — so a reconnect neither loses nor repeats an event.
 */
import { FINAL_EVENTS, type RunEvent } from '../runners/run-events.ts';

/** What `GET /api/runs` says about a run. */
export interface RunSummary {
  run_id: string;
  entry_id: string | null;
  /** Workspace-relative path of the entry file. */
  path: string | null;
  /** `running` until a final event, then its type (`completed`, `failed`, `interrupted`). */
  status: string;
  started_at: string | null;
  /** The last event's seq: follow from here. */
  last_seq: number;
  /** `server`: started through this server; `log`: another process (`lab run`), followed through its event log. */
  source: 'server' | 'log';
}

export class Run {
  readonly id: string;
  readonly source: 'server' | 'log';
  readonly events: RunEvent[] = [];
  readonly #followers = new Set<(event: RunEvent) => void>();
  /** Aborts a run this server started (server shutdown). */
  readonly abort = new AbortController();

  constructor(id: string, source: 'server' | 'log') {
    this.id = id;
    this.source = source;
  }

  get lastSeq(): number {
    return this.events.length ? this.events[this.events.length - 1]!.seq : 0;
  }

  get ended(): boolean {
    const last = this.events[this.events.length - 1];
    return !!last && FINAL_EVENTS.includes(last.type);
  }

  get started(): RunEvent | undefined {
    return this.events[0]?.type === 'started' ? this.events[0] : undefined;
  }

  /** Adds the next event; one already seen (a log re-read) is ignored. */
  push(event: RunEvent): void {
    if (event.seq <= this.lastSeq || this.ended) return;
    this.events.push(event);
    for (const f of [...this.#followers]) f(event);
    if (this.ended) this.#followers.clear();
  }

  /**
   * Calls `onEvent` with every event after `since` — those already here at once, in order, then each new
   * one as it comes — and `onEnd` after the final event. Returns a function that stops following.
   */
  follow(since: number, onEvent: (event: RunEvent) => void, onEnd: () => void): () => void {
    for (const event of this.events) if (event.seq > since) onEvent(event);
    if (this.ended) {
      onEnd();
      return () => {};
    }
    const follower = (event: RunEvent) => {
      onEvent(event);
      if (FINAL_EVENTS.includes(event.type)) onEnd();
    };
    this.#followers.add(follower);
    return () => this.#followers.delete(follower);
  }

  summary(): RunSummary {
    const started = this.started;
    const last = this.events[this.events.length - 1]!;
    return {
      run_id: this.id,
      entry_id: typeof started?.entry_id === 'string' ? started.entry_id : null,
      path: typeof started?.path === 'string' ? started.path : null,
      status: this.ended ? last.type : 'running',
      started_at: typeof started?.time === 'string' ? started.time : null,
      last_seq: this.lastSeq,
      source: this.source,
    };
  }
}
