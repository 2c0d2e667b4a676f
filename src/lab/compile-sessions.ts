/**
 * The compiler's view of the session stream: reads `lab/raw/*.json`, validates
 * each record against the raw schema (every problem as `path:line:col`) and
 * returns one summary per session for `.lab/index.json`, search and the site.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic, sortDiagnostics } from '../core/diagnostics.ts';
import type { SessionSummary } from '../core/model.ts';
import { positionOf } from '../core/source/positions.ts';
import { parseJsonWithPositions } from './json-positions.ts';
import { RAW_SESSION_KEYS, type RawSession, rawSessionSchema } from './schema.ts';

/** One session as the index, search and the site see it (defined with the index shapes). */
export type { SessionSummary } from '../core/model.ts';

/** A source file handed to the pure compiler: workspace-relative path and text. */
export interface SessionSourceFile {
  path: string;
  text: string;
}

const RAW_DIR = 'lab/raw';
const STUB_DIR = 'lab/stubs';

/** Reads `root/lab/raw/*.json` (and notes which stubs exist) and compiles them. */
export async function compileSessions(root: string): Promise<{ sessions: SessionSummary[]; diagnostics: Diagnostic[] }> {
  const files: SessionSourceFile[] = [];
  const rawNames = await fs.readdir(path.join(root, RAW_DIR)).catch(() => [] as string[]);
  for (const name of rawNames.filter((n) => n.endsWith('.json')).sort()) {
    files.push({ path: `${RAW_DIR}/${name}`, text: await fs.readFile(path.join(root, RAW_DIR, name), 'utf8') });
  }
  // Stubs only need to exist; their text is not read here.
  const stubNames = await fs.readdir(path.join(root, STUB_DIR)).catch(() => [] as string[]);
  for (const name of stubNames.filter((n) => n.endsWith('.org'))) files.push({ path: `${STUB_DIR}/${name}`, text: '' });
  const result = compileSessionSources(files);
  for (const s of result.sessions) {
    if (s.doc_draft_path && !(await exists(path.join(root, s.doc_draft_path)))) {
      result.diagnostics.push(
        diagnostic(s.source.path, undefined, 'warning', 'session-doc-draft-missing', `lab/doc-draft-path points at ${s.doc_draft_path}, which does not exist`),
      );
    }
  }
  result.diagnostics = sortDiagnostics(result.diagnostics);
  return result;
}

/**
 * The same, in memory: `lab/raw/*.json` files are compiled, `lab/stubs/*.org`
 * paths mark which stubs exist, anything else is ignored. No disk access.
 */
export function compileSessionSources(files: SessionSourceFile[]): { sessions: SessionSummary[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sessions: SessionSummary[] = [];
  const stubs = new Set(files.filter((f) => f.path.startsWith(`${STUB_DIR}/`) && f.path.endsWith('.org')).map((f) => f.path));
  const seen = new Map<string, string>();
  const raws = files.filter((f) => /^lab\/raw\/[^/]+\.json$/.test(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of raws) {
    const parsed = parseRawSessionText(file.path, file.text);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.record) continue;
    const record = parsed.record;
    const id = record['lab/session-id'];
    const idPos = parsed.positions['lab/session-id'];
    const pos = idPos ? { line: idPos[0], column: idPos[1] } : undefined;
    const other = seen.get(id);
    if (other) {
      diagnostics.push(diagnostic(file.path, pos, 'error', 'duplicate-session-id', `session id ${id} is also used by ${other}`));
      continue;
    }
    seen.set(id, file.path);
    const stubPath = `${STUB_DIR}/${id}.org`;
    sessions.push(summarize(record, file.path, stubs.has(stubPath) ? stubPath : null));
  }
  sessions.sort((a, b) => cmp(b.start ?? '', a.start ?? '') || cmp(a.id, b.id));
  return { sessions, diagnostics: sortDiagnostics(diagnostics) };
}

/** Parses and validates one raw record; diagnostics carry the key's line:col. */
export function parseRawSessionText(
  file: string,
  text: string,
): { record: RawSession | null; positions: Record<string, [number, number]>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    diagnostics.push(diagnostic(file, parsed.problem, 'error', 'json-syntax', `malformed JSON: ${parsed.problem.message}`));
    return { record: null, positions: {}, diagnostics };
  }
  const { value, positions } = parsed;
  const at = (p: readonly PropertyKey[]) => {
    const pos = positionOf(positions, p);
    return pos ? { line: pos[0], column: pos[1] } : undefined;
  };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (!RAW_SESSION_KEYS.includes(key)) {
        diagnostics.push(diagnostic(file, at([key]), 'warning', 'session-unknown-key', `unknown key ${key} (not in the session contract)`));
      }
    }
  }
  const result = rawSessionSchema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.length ? issue.path.map(String).join('.') : '';
      const message = issue.code === 'invalid_type' && isMissing(value, issue.path) ? `is required (${issue.message})` : issue.message;
      diagnostics.push(diagnostic(file, at(issue.path), 'error', 'session-schema', where ? `${where}: ${message}` : message));
    }
    return { record: null, positions, diagnostics };
  }
  const record = result.data;
  const id = record['lab/session-id'];
  if (path.posix.basename(file) !== `${id}.json`) {
    diagnostics.push(
      diagnostic(file, at(['lab/session-id']), 'error', 'session-file-name', `lab/session-id ${id} does not match the file name (expected lab/raw/${id}.json)`),
    );
  }
  for (const [key, prefix] of [
    ['lab/user-messages', 'u'],
    ['lab/assistant-messages', 'a'],
  ] as const) {
    const ids = new Set<string>();
    record[key].forEach((m, i) => {
      if (!m.id.startsWith(`${id}:${prefix}`)) {
        diagnostics.push(diagnostic(file, at([key, i, 'id']), 'error', 'session-message-id', `${key}.${i}.id: must start with ${id}:${prefix}`));
      } else if (ids.has(m.id)) {
        diagnostics.push(diagnostic(file, at([key, i, 'id']), 'error', 'session-message-id', `${key}.${i}.id: duplicate message id ${m.id}`));
      }
      ids.add(m.id);
    });
  }
  return { record, positions, diagnostics };
}

function summarize(record: RawSession, sourcePath: string, stubPath: string | null): SessionSummary {
  const prompts = record['lab/user-messages'].map((m) => m.text);
  return {
    id: record['lab/session-id'],
    start: record['lab/timestamp-start'] ?? null,
    end: record['lab/timestamp-end'] ?? null,
    first_prompt: prompts[0] ?? null,
    prompts,
    replies_count: record['lab/assistant-messages'].length,
    files_touched: [...record['lab/files-touched']],
    commands_count: record['lab/commands'] ? record['lab/commands'].length : null,
    errors_count: record['lab/errors'] ? record['lab/errors'].length : null,
    stub_path: stubPath,
    doc_draft_path: record['lab/doc-draft-path'] ?? null,
    repo_root: record['lab/repo-root'] ?? null,
    source: { path: sourcePath },
  };
}

/** True when the last key of `keyPath` is absent from its parent object. */
function isMissing(root: unknown, keyPath: readonly PropertyKey[]): boolean {
  let node: unknown = root;
  for (const key of keyPath.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  const last = keyPath[keyPath.length - 1];
  return last !== undefined && !!node && typeof node === 'object' && !Object.prototype.hasOwnProperty.call(node, last);
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
