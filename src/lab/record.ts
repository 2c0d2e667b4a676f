/**
 * Builds the raw session record (`lab/raw/<id>.json`) from a parsed rollout,
 * applying the capture level (privacy) and redaction, and making paths inside
 * the repo repo-relative.
 */
import path from 'node:path';
import { canonicalJson } from '../core/hash.ts';
import { redactSecrets } from './redact.ts';
import type { ParsedRollout, ToolCall, TranscriptItem } from './rollout/parse.ts';
import { errorExcerpt, firstLine, patchFiles, patchStats } from './rollout/tools.ts';
import type { CaptureLevel, CommandRun, RawSession } from './schema.ts';

export interface RecordOptions {
  capture: CaptureLevel;
  /** Absolute repo root the session worked in (paths inside become repo-relative). */
  repoRoot: string | null;
}

/** The record and, with `--capture full`, the transcript to store beside it. */
export interface BuiltSession {
  record: RawSession;
  transcript: { 'lab/session-id': string; 'lab/transcript': TranscriptItem[] } | null;
}

/** The bytes of a raw record: canonical (sorted keys), two-space indent, final newline. */
export function serializeRecord(record: RawSession): string {
  return `${canonicalJson(record, 2)}\n`;
}

export function buildRawSession(s: ParsedRollout, opts: RecordOptions): BuiltSession {
  const id = s.id;
  const number = (n: number) => String(n).padStart(3, '0');
  const touched = splitTouched(filesTouched(s, opts.repoRoot));
  const record: RawSession = {
    'lab/session-id': id,
    'lab/repo-root': opts.repoRoot ?? s.cwd ?? null,
    'lab/timestamp-start': s.start,
    'lab/timestamp-end': s.end,
    'lab/user-messages': s.userMessages.map((m, i) => ({ id: `${id}:u${number(i + 1)}`, timestamp: m.timestamp, text: keepText(m.text) })),
    'lab/assistant-messages': s.assistantMessages.map((m, i) => ({ id: `${id}:a${number(i + 1)}`, timestamp: m.timestamp, text: keepText(m.text) })),
    'lab/files-touched': touched.files,
    'lab/file-notes': fileNotes(s, opts.repoRoot).filter((n) => isRepoRelative(n.file)),
    'lab/capture': opts.capture,
  };
  if (touched.outside) record['lab/files-outside-repo'] = touched.outside;
  if (s.model) record['lab/model'] = s.model;
  if (s.cliVersion) record['lab/cli-version'] = s.cliVersion;
  if (s.git)
    record['lab/git'] = { commit: s.git.commit, branch: s.git.branch, 'repository-url': s.git.repositoryUrl ? redactSecrets(s.git.repositoryUrl) : null };
  if (s.forkedFrom) record['lab/forked-from'] = s.forkedFrom;
  if (opts.capture !== 'summary') {
    const runs: CommandRun[] = s.calls
      .filter((c) => c.command)
      .map((c) => ({
        command: redactSecrets(c.command as string),
        'exit-code': c.exitCode,
        'duration-seconds': c.duration === null ? null : round(c.duration),
      }));
    record['lab/commands'] = runs.map((r) => r.command);
    record['lab/command-runs'] = runs;
    record['lab/errors'] = errors(s).map((e) => keepText(redactSecrets(e)));
    if (s.unparsedCalls.length) record['lab/unparsed-tool-calls'] = s.unparsedCalls.length;
  }
  const transcript = opts.capture === 'full' ? { 'lab/session-id': id, 'lab/transcript': s.transcript.map((t) => ({ ...t, text: keepText(t.text) })) } : null;
  return { record, transcript };
}

/** Longest message text kept in a record (characters); the rest is cut with a marker saying how much. */
const MAX_MESSAGE_CHARS = 64 * 1024;

/** Redacted, and cut to MAX_MESSAGE_CHARS: a pasted 50 MB log does not become a 50 MB record. */
function keepText(text: string): string {
  const clean = redactSecrets(text.length > MAX_MESSAGE_CHARS * 2 ? text.slice(0, MAX_MESSAGE_CHARS + 4096) : text);
  if (text.length <= MAX_MESSAGE_CHARS && clean.length <= MAX_MESSAGE_CHARS) return clean;
  return `${clean.slice(0, MAX_MESSAGE_CHARS)}\n[… lab: message truncated; it had ${text.length} characters, the first ${MAX_MESSAGE_CHARS} are kept …]`;
}

/** Whether a touched path is repository-relative (what the contract allows in a record). */
function isRepoRelative(file: string): boolean {
  return !path.posix.isAbsolute(file) && !/^[A-Za-z]:\//.test(file) && file !== '..' && !file.startsWith('../');
}

/** Touched files split into the repository-relative ones (kept) and a count of the rest (dropped). */
function splitTouched(files: string[]): { files: string[]; outside: number } {
  const kept = files.filter(isRepoRelative);
  return { files: kept, outside: files.length - kept.length };
}

/** Files changed by successful patches: patch headers plus `patch_apply_*` changes. */
function filesTouched(s: ParsedRollout, repoRoot: string | null): string[] {
  const out = new Set<string>();
  for (const c of s.calls) {
    if (patchFailed(c)) continue;
    const base = c.workdir ?? s.cwd;
    const names = [...(c.patch ? patchFiles(c.patch).map((f) => f.path) : []), ...c.patchChanges];
    for (const name of names) out.add(displayPath(typeof name === 'string' ? name : name.path, base, repoRoot));
  }
  return [...out].sort();
}

/** Repo-relative when inside the repo; absolute otherwise; relative names stay as given when nothing anchors them. */
export function displayPath(name: string, base: string | null, repoRoot: string | null): string {
  const p = path.posix;
  // Rollouts written on Windows carry `C:\\repo\\src\\a.ts`: compare them as POSIX paths.
  if ([name, base, repoRoot].some((x) => x && /^[A-Za-z]:\\|\\/.test(x))) {
    const slash = (x: string | null) => (x === null ? null : x.replace(/\\/g, '/'));
    return displayPath(slash(name) as string, slash(base), slash(repoRoot));
  }
  const isAbs = (x: string) => p.isAbsolute(x) || /^[A-Za-z]:\//.test(x);
  const abs = isAbs(name) ? p.normalize(name) : base ? p.join(base, name) : null;
  if (!abs) return p.normalize(name);
  if (repoRoot && isAbs(repoRoot) === isAbs(abs)) {
    const rel = p.relative(repoRoot, abs);
    if (rel && !rel.startsWith('..') && !isAbs(rel)) return rel;
  }
  return abs;
}

/** One derived note per touched file: what happened to it and how many lines changed. */
function fileNotes(s: ParsedRollout, repoRoot: string | null): { file: string; summary: string }[] {
  const acc = new Map<string, { ops: string[]; added: number; removed: number; movedTo: string | null }>();
  const get = (file: string) => {
    let a = acc.get(file);
    if (!a) acc.set(file, (a = { ops: [], added: 0, removed: 0, movedTo: null }));
    return a;
  };
  for (const c of s.calls) {
    if (patchFailed(c)) continue;
    const base = c.workdir ?? s.cwd;
    const stats = c.patch ? patchStats(c.patch) : [];
    for (const st of stats) {
      const a = get(displayPath(st.path, base, repoRoot));
      a.ops.push(st.movedTo ? 'move' : st.op);
      a.added += st.added;
      a.removed += st.removed;
      if (st.movedTo) {
        a.movedTo = displayPath(st.movedTo, base, repoRoot);
        get(a.movedTo).ops.push('add');
      }
    }
    for (const ch of c.patchChanges) {
      const a = get(displayPath(ch.path, base, repoRoot));
      if (!stats.length) a.ops.push(ch.kind === 'add' || ch.kind === 'delete' ? ch.kind : 'update');
    }
  }
  const verb = (ops: string[]) => {
    const last = ops[ops.length - 1];
    if (ops[0] === 'add' && last !== 'delete') return 'added';
    return last === 'delete' ? 'deleted' : last === 'move' ? 'moved' : last === 'add' ? 'added' : 'updated';
  };
  return [...acc]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, a]) => {
      const counts = a.added || a.removed ? ` (+${a.added} −${a.removed})` : '';
      const times = a.ops.length > 1 ? `, ${a.ops.length} patches` : '';
      const moved = a.movedTo ? ` to ${a.movedTo}` : '';
      return { file, summary: `${verb(a.ops)}${moved}${counts}${times}` };
    });
}

function errors(s: ParsedRollout): string[] {
  const timed: { at: string; order: number; text: string }[] = [];
  s.calls.forEach((c, order) => {
    const text = callError(c);
    if (text) timed.push({ at: c.timestamp ?? '', order, text });
  });
  s.eventErrors.forEach((e, i) => timed.push({ at: e.timestamp ?? '', order: s.calls.length + i, text: e.text }));
  return timed.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order)).map((e) => e.text);
}

function callError(c: ToolCall): string | null {
  if (c.patch || c.patchChanges.length || c.tool === 'apply_patch') {
    if (c.patchSuccess === false) return `apply_patch failed: ${c.patchError ?? 'patch rejected'}`;
    if (patchFailed(c)) return `apply_patch failed: ${firstLine(c.output ?? '') || `exit code ${c.exitCode}`}`;
    return null;
  }
  if (c.command && c.exitCode !== null && c.exitCode !== 0) {
    const gist = errorExcerpt(c.stderr?.trim() ? c.stderr : (c.output ?? ''));
    return `\`${firstLine(c.command, 160)}\` exited with code ${c.exitCode}${gist ? `: ${gist}` : ''}`;
  }
  return null;
}

/** A patch that did not apply: said by patch_apply_end, by a non-zero exit, or (versions without either) by its output. */
function patchFailed(c: ToolCall): boolean {
  if (c.patchSuccess !== null) return !c.patchSuccess;
  if (!c.patch) return false;
  if (c.exitCode !== null) return c.exitCode !== 0;
  return /^\s*(apply_patch verification failed|failed to apply patch|invalid patch|invalid hunk|error:)/i.test(c.output ?? '');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
