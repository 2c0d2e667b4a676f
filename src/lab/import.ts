/**
 * `lab sessions import`: finds Codex rollouts, parses them, and writes one raw
 * record per session into `lab/raw/` (plus a transcript with full capture).
 * Bad files are reported with file and line and skipped; the rest carries on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../core/diagnostics.ts';
import { writeFileAtomic } from '../core/fs/atomic.ts';
import { canonicalJson } from '../core/hash.ts';
import { canonicalPath, findGitRoot, isInside, isSafeSessionId, labFile, rawPath, transcriptPath, unsafeSessionIdMessage } from './paths.ts';
import { type BuiltSession, buildRawSession, serializeRecord } from './record.ts';
import { parseRollout } from './rollout/parse.ts';
import { peekSessionCwd, type RolloutText, readRolloutFile } from './rollout/read.ts';
import type { CaptureLevel, RawSession } from './schema.ts';

export interface ImportOptions {
  /** Workspace root: where `lab/` is written. */
  root: string;
  /** Files or folders given on the command line; empty = `<codexHome>/sessions`. */
  paths: string[];
  codexHome: string;
  /** Keep only sessions whose working directory is inside this folder (applies when no paths are given, or when set explicitly). */
  repo: string | null;
  /** Keep sessions that started at or after this instant (ISO). */
  since: string | null;
  capture: CaptureLevel;
  /** Base for displaying file names in diagnostics. */
  cwd: string;
  /** Import files named explicitly even when their session worked outside this repository. */
  force?: boolean;
}

type ImportStatus = 'created' | 'updated' | 'unchanged' | 'kept-newer';

export interface ImportResult {
  sessions: { id: string; path: string; status: ImportStatus; source: string }[];
  /** Files that held no usable session or were filtered out, with why. */
  filtered: { file: string; reason: string }[];
  diagnostics: Diagnostic[];
  /** True when a file or line was skipped because it could not be read. */
  skippedSomething: boolean;
}

/** Keys the user (or `summarize`) maintains in a record; a re-import keeps them. */
const KEPT_KEYS = ['lab/notes', 'lab/doc-draft-path', 'lab/trace-path'] as const;

export async function importSessions(opts: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { sessions: [], filtered: [], diagnostics: [], skippedSomething: false };
  const explicit = opts.paths.length > 0;
  const roots = explicit ? opts.paths.map((p) => path.resolve(opts.cwd, p)) : [path.join(opts.codexHome, 'sessions')];
  const files: string[] = [];
  for (const r of roots) {
    const stat = await fs.stat(r).catch(() => null);
    if (!stat) {
      result.diagnostics.push(
        diagnostic(
          show(r, opts.cwd),
          undefined,
          'error',
          'session-import',
          explicit ? 'no such file or folder' : `no Codex sessions folder here (set CODEX_HOME or pass --codex-home)`,
        ),
      );
      result.skippedSomething = true;
    } else if (stat.isDirectory()) files.push(...(await findRollouts(r)));
    else files.push(r);
  }
  // Files named explicitly are still kept to this repository unless --repo says another or --force says any.
  const repoFilter = opts.repo ? canonicalPath(path.resolve(opts.cwd, opts.repo)) : explicit && opts.force ? null : canonicalPath(opts.root);
  const askRepo = explicit && !opts.repo;
  const outsideReason = (cwd: string) =>
    `working directory ${cwd} is outside ${repoFilter}${askRepo ? '; pass --repo <dir> (its repository) or --force to import it here' : ''}`;
  const workspaceRepo = canonicalPath(opts.repo ? path.resolve(opts.cwd, opts.repo) : opts.root);

  // A session may exist in several files (a .jsonl and its .jsonl.zst copy): the one that reaches furthest wins.
  // Only the built record is kept per session (not the parsed rollout), so memory stays flat over a large CODEX_HOME.
  const best = new Map<string, { built: BuiltSession; end: string; size: number; file: string }>();
  // Reading is I/O and parsing is CPU: keep a few files in flight while the current one is parsed.
  const read = async (file: string): Promise<{ outside: string } | { text: RolloutText }> => {
    if (repoFilter) {
      const cwd = await peekSessionCwd(file);
      if (cwd && !isInside(canonicalPath(cwd), repoFilter)) return { outside: cwd };
    }
    return { text: await readRolloutFile(file) };
  };
  // A file the user named is refused loudly (exit 1, with what to pass); a scanned one is quietly filtered.
  const refuseOutside = (shown: string, cwd: string) => {
    if (askRepo) {
      result.diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, 'error', 'session-outside-repo', outsideReason(cwd)));
      result.skippedSomething = true;
    } else result.filtered.push({ file: shown, reason: outsideReason(cwd) });
  };
  const inFlight: Promise<{ outside: string } | { text: RolloutText }>[] = [];
  const PREFETCH = 4;
  for (let i = 0; i < Math.min(PREFETCH, files.length); i++) inFlight.push(read(files[i]!));
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const loaded = await inFlight[i];
    delete inFlight[i];
    if (i + PREFETCH < files.length) inFlight[i + PREFETCH] = read(files[i + PREFETCH]!);
    const shown = show(file, opts.cwd);
    if ('outside' in loaded!) {
      refuseOutside(shown, loaded.outside);
      continue;
    }
    const text = loaded!.text;
    const parsed = text.problems.some((p) => p.fatal) ? { ok: false as const, problems: [] } : parseRollout(text.lines);
    for (const p of [...text.problems, ...parsed.problems]) {
      const severity = p.severity ?? 'error';
      result.diagnostics.push(diagnostic(shown, p, severity, 'session-import', p.message));
      if (severity === 'error') result.skippedSomething = true;
    }
    if (!parsed.ok) continue;
    const s = parsed.session;
    if (!isSafeSessionId(s.id)) {
      // Checked before any path is built from it: `../../x` must not become lab/raw/../../x.json.
      result.diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, 'error', 'session-import', unsafeSessionIdMessage(s.id)));
      result.skippedSomething = true;
      continue;
    }
    if (repoFilter && !(s.cwd && isInside(canonicalPath(s.cwd), repoFilter))) {
      refuseOutside(shown, s.cwd ?? '(unknown)');
      continue;
    }
    if (opts.since && (!s.start || s.start < opts.since)) {
      result.filtered.push({ file: shown, reason: `started ${s.start ?? '(unknown)'}, before --since` });
      continue;
    }
    const end = s.end ?? '';
    const size = s.userMessages.length + s.assistantMessages.length + s.calls.length;
    const prev = best.get(s.id);
    if (!prev || end > prev.end || (end === prev.end && size > prev.size)) {
      const repoRoot = s.cwd && isInside(canonicalPath(s.cwd), workspaceRepo) ? workspaceRepo : (findGitRoot(s.cwd ?? '') ?? s.cwd);
      best.set(s.id, { built: buildRawSession(s, { capture: opts.capture, repoRoot }), end, size, file: shown });
    }
  }

  for (const [id, { built, file }] of [...best].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = labFile(opts.root, rawPath(id));
    const existingText = await fs.readFile(target, 'utf8').catch(() => null);
    const existing = existingText === null ? null : storedRecord(existingText);
    let status: ImportStatus;
    if (existing && (existing['lab/timestamp-end'] ?? '') > (built.record['lab/timestamp-end'] ?? '')) {
      status = 'kept-newer'; // the stored record comes from a later state of the same session
    } else {
      if (existing) for (const key of KEPT_KEYS) if (typeof existing[key] === 'string') built.record[key] = existing[key];
      const text = serializeRecord(built.record);
      status = existingText === null ? 'created' : existingText === text ? 'unchanged' : 'updated';
      if (status !== 'unchanged') await writeFileAtomic(target, text);
      if (built.transcript) {
        const tPath = labFile(opts.root, transcriptPath(id));
        const tText = `${canonicalJson(built.transcript, 2)}\n`;
        if ((await fs.readFile(tPath, 'utf8').catch(() => null)) !== tText) await writeFileAtomic(tPath, tText);
      }
    }
    result.sessions.push({ id, path: rawPath(id), status, source: file });
  }
  return result;
}

/** Rollout files under a folder: `*.jsonl` and `*.jsonl.zst`, sorted. */
async function findRollouts(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.jsonl(\.zst)?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The stored record, read leniently: only its end time and the keys a re-import keeps matter here. */
function storedRecord(text: string): Partial<RawSession> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<RawSession>) : null;
  } catch {
    return null; // a broken record is replaced by a good one
  }
}

function show(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
