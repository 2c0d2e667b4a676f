/** Loads every valid raw record of a workspace, refusing (with every problem listed) when one is broken. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, LabError, sortDiagnostics } from '../core/diagnostics.ts';
import { parseRawSessionText } from './compile-sessions.ts';
import { LAB_DIRS } from './paths.ts';
import type { RawSession } from './schema.ts';

/** Records in `lab/raw`, sorted by session id. Throws a LabError listing every invalid record. */
export async function loadRawSessions(root: string): Promise<RawSession[]> {
  const names = (await fs.readdir(path.join(root, LAB_DIRS.raw)).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const records: RawSession[] = [];
  const problems: Diagnostic[] = [];
  for (const name of names) {
    const rel = `${LAB_DIRS.raw}/${name}`;
    const parsed = parseRawSessionText(rel, await fs.readFile(path.join(root, rel), 'utf8'));
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !parsed.record) problems.push(...errors);
    else records.push(parsed.record);
  }
  if (problems.length)
    throw new LabError(`${new Set(problems.map((p) => p.file)).size} session record(s) are invalid; fix them first`, {
      diagnostics: sortDiagnostics(problems),
    });
  return records.sort((a, b) => (a['lab/session-id'] < b['lab/session-id'] ? -1 : 1));
}
