/**
 * Honest state: entries left `running` by a runner that is gone, and result
 * sidecars (`<entry>.result.yaml`) nobody applied. `lab check` reports both as
 * warnings with the command that resolves them; the site shows them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../core/diagnostics.ts';
import type { Entry, JournalIndex } from '../core/model.ts';
import { inspectLockSync } from './entry-lock.ts';

/** What is known about an entry marked `running`, right now. */
export type RunningState =
  | { state: 'running'; pid: number }
  /** Nothing runs it any more; `orphans`: process groups its runner left behind. */
  | { state: 'stuck'; orphans: number[] }
  /** Marked running on another host: cannot be told from here. */
  | { state: 'elsewhere'; host: string };

/** The state of an entry whose status is `running`; null for any other status. */
export function runningState(root: string, entry: Pick<Entry, 'status' | 'execution' | 'source'>): RunningState | null {
  if (entry.status !== 'running') return null;
  const host = entry.execution?.host;
  if (typeof host === 'string' && host && host !== hostname()) return { state: 'elsewhere', host };
  const lock = inspectLockSync(root, entry.source.path);
  if (lock.state === 'running') return { state: 'running', pid: lock.holder.pid };
  if (lock.state === 'foreign') return { state: 'elsewhere', host: lock.holder.host };
  return { state: 'stuck', orphans: lock.state === 'stale' ? lock.orphans : [] };
}

/** `<entry>.result.yaml` files in every page's entries folder, with the entry they belong to. */
export function findResultSidecars(root: string, index: JournalIndex): { sidecar: string; entry: string; exists: boolean }[] {
  const folders = new Set<string>();
  for (const e of index.entries) folders.add(path.posix.dirname(e.source.path));
  for (const p of index.pages) folders.add(path.posix.join(path.posix.dirname(p.source.path), 'entries'));
  const out: { sidecar: string; entry: string; exists: boolean }[] = [];
  for (const folder of [...folders].sort()) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, folder));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!name.endsWith('.result.yaml')) continue;
      const entry = `${folder}/${name.slice(0, -'.result.yaml'.length)}`;
      out.push({ sidecar: `${folder}/${name}`, entry, exists: existsSync(path.join(root, entry)) });
    }
  }
  return out;
}

/** The warnings `lab check` adds for stuck runs and result sidecars. */
export function runStateDiagnostics(root: string, index: JournalIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of index.entries) {
    const s = runningState(root, e);
    if (!s || s.state === 'running') continue;
    const at = { line: e.source.key_lines.status ?? e.source.line, column: 1 };
    const started = e.execution?.started_at ? ` since ${e.execution.started_at}` : '';
    const message =
      s.state === 'elsewhere'
        ? `marked running${started} on host ${s.host}; if that run is gone, \`lab run --force ${e.source.path}\` runs it again`
        : s.orphans.length
          ? `stuck: marked running${started}, its runner is gone but the command it started still runs (process group ${s.orphans.join(', ')}); \`lab run --force ${e.source.path}\` stops it and runs again`
          : `stuck: marked running${started}, but no runner is running it (it was killed or crashed); \`lab run ${e.source.path}\` runs it again`;
    out.push(diagnostic(e.source.path, at, 'warning', 'stuck-running', message));
  }
  for (const s of findResultSidecars(root, index)) {
    const message = s.exists
      ? `a run's result is waiting here: ${s.entry} was edited while it ran; copy its keys into the entry (or re-run it), then delete it: \`rm ${s.sidecar}\``
      : `orphaned result sidecar: its entry ${s.entry} no longer exists; delete it: \`rm ${s.sidecar}\``;
    out.push(diagnostic(s.sidecar, undefined, 'warning', 'result-sidecar', message));
  }
  return out;
}
