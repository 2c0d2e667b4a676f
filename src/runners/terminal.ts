/**
 * The terminal face of `lab run`: live logs, one progress bar per running
 * entry (redrawn in place on a TTY, plain lines otherwise) and a summary table.
 */
import { formatDuration } from './duration.ts';
import type { Reporter, RunResult } from './reporter.ts';
import type { Progress } from './types.ts';

interface Slot {
  id: string;
  type: string;
  started: number;
  progress: Progress;
  lastPrinted: string;
}

export interface TerminalOptions {
  /** Where progress and bars go (stderr). */
  err: NodeJS.WriteStream;
  /** Where live logs go (stdout, or stderr under --json so stdout stays data). */
  out: NodeJS.WriteStream;
  /** Several entries at once: prefix log lines with the entry id. */
  parallel: boolean;
  /** Redraw bars in place (a TTY, and not under CI). */
  interactive: boolean;
}

const BAR_WIDTH = 24;

export class TerminalReporter implements Reporter {
  #o: TerminalOptions;
  #slots = new Map<string, Slot>();
  #drawn = 0;
  #pendingLine = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: TerminalOptions) {
    this.#o = options;
  }

  start(entry: { id: string; path: string; type: string }): void {
    this.#slots.set(entry.id, { id: entry.id, type: entry.type, started: Date.now(), progress: {}, lastPrinted: '' });
    this.#print(`▶ ${entry.id} (${entry.type}) ${entry.path}\n`, this.#o.err);
    if (this.#o.interactive && !this.#timer) {
      // Keeps elapsed time moving even when an integration reports nothing.
      this.#timer = setInterval(() => this.#redraw(), 250);
      this.#timer.unref();
    }
  }

  progress(id: string, progress: Progress): void {
    const slot = this.#slots.get(id);
    if (!slot) return;
    slot.progress = { ...slot.progress, ...progress };
    if (progress.value === undefined && progress.max === undefined && progress.message) {
      slot.progress = { message: progress.message, ...(slot.progress.max && progress.message === slot.progress.message ? slot.progress : {}) };
    }
    if (this.#o.interactive) this.#redraw();
    else {
      const line = describe(slot, false);
      // Without a TTY, print when the message changes or a bar crosses a 10% mark.
      const key = `${slot.progress.message ?? ''}|${slot.progress.max ? Math.floor(((slot.progress.value ?? 0) / slot.progress.max) * 10) : ''}`;
      if (key !== slot.lastPrinted) {
        slot.lastPrinted = key;
        this.#o.err.write(`  ${line}\n`);
      }
    }
  }

  log(id: string, stream: string, chunk: string): void {
    if (stream === 'events') return; // structured integration events: stored, not shown
    const target = stream === 'stderr' ? this.#o.err : this.#o.out;
    if (!this.#o.parallel) {
      this.#print(chunk, target);
      return;
    }
    const key = `${id}\0${stream}`;
    const text = (this.#pendingLine.get(key) ?? '') + chunk;
    const lines = text.split('\n');
    this.#pendingLine.set(key, lines.pop()!);
    if (lines.length) this.#print(lines.map((l) => `[${id}] ${l}\n`).join(''), target);
  }

  end(result: RunResult): void {
    for (const [key, rest] of this.#pendingLine) {
      if (key.startsWith(`${result.id}\0`) && rest) this.#print(`[${result.id}] ${rest}\n`, this.#o.out);
    }
    const slot = result.id ? this.#slots.get(result.id) : undefined;
    if (result.id) this.#slots.delete(result.id);
    if (!slot) return; // never started (skipped / refused): the summary reports it
    const mark = result.outcome === 'completed' ? '✔' : result.outcome === 'interrupted' ? '■' : '✖';
    const time = result.duration_seconds !== undefined ? ` in ${formatDuration(result.duration_seconds * 1000)}` : '';
    this.#print(
      `${mark} ${result.id} ${result.outcome}${time}${result.message && result.outcome !== 'completed' ? ` — ${result.message}` : ''}\n`,
      this.#o.err,
    );
    if (!this.#slots.size && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /** Clears the bars, writes text above them, draws them again. */
  #print(text: string, target: NodeJS.WriteStream): void {
    this.#clear();
    target.write(text);
    this.#draw();
  }

  #redraw(): void {
    this.#clear();
    this.#draw();
  }

  #clear(): void {
    if (!this.#drawn) return;
    this.#o.err.write(`\x1b[${this.#drawn}A\x1b[J`);
    this.#drawn = 0;
  }

  #draw(): void {
    if (!this.#o.interactive || !this.#slots.size) return;
    const cols = (this.#o.err.columns || 100) - 1;
    const lines = [...this.#slots.values()].map((s) => describe(s, true).slice(0, cols));
    this.#o.err.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }
}

function describe(slot: Slot, withElapsed: boolean): string {
  const { value, max, message } = slot.progress;
  const elapsed = withElapsed ? ` ${formatDuration(Date.now() - slot.started)}` : '';
  if (max && value !== undefined) {
    const ratio = Math.max(0, Math.min(1, value / max));
    const full = Math.round(ratio * BAR_WIDTH);
    return `  ${slot.id} [${'█'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}] ${value}/${max}${message ? ` ${message}` : ''}${elapsed}`;
  }
  return `  ${slot.id} ${message ?? 'running'}${elapsed}`;
}

/** The end-of-run table: one row per entry. */
export function summaryTable(results: RunResult[]): string {
  if (!results.length) return 'nothing to run';
  const rows = results.map((r) => [
    r.outcome,
    r.id ?? r.path,
    r.type ?? '-',
    r.duration_seconds !== undefined ? formatDuration(r.duration_seconds * 1000) : '',
    r.artifacts ? String(r.artifacts) : '',
    r.outcome === 'completed' ? '' : (r.message ?? '').replace(/^\S+?: /, ''),
  ]);
  const head = ['STATUS', 'ENTRY', 'TYPE', 'TIME', 'ARTIFACTS', 'NOTE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i]!.length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 5 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const tally = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  const lines = rows.flatMap((row, i) => [fmt(row), ...(results[i]!.plan ?? []).map((p) => `    ${p}`)]);
  return [fmt(head), ...lines, '', tally].join('\n');
}
