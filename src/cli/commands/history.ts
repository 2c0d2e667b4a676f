import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError, UsageError } from '../../core/diagnostics.ts';
import { findWorkspaceRoot } from '../../core/workspace.ts';
import { isProblem, snapshotFromSource } from '../../git/entry-snapshot.ts';
import { computeHistory, type HistoryItem } from '../../git/history.ts';
import type { Command } from '../command.ts';
import { requireOne, str } from '../util.ts';

export const command: Command = {
  summary: 'commits that touched an entry and what changed at each',
  help: `Usage: lab history <entry-id|path> [--limit N] [--json]

Lists the commits that changed the entry's file, newest first, with date,
author, message and what changed in the entry at each (parameters, runs,
metrics, artifacts, moves). The entry is followed by id through renames and
moves. History for the whole journal is computed in one walk over the commits
and cached per commit in .lab/cache/history/.

Options:
  --limit N   show at most N commits
  --json      print the history items as JSON`,
  options: { limit: { type: 'string' } },
  json: true,
  async run(args, global) {
    const ref = requireOne(args, 'entry id or path');
    const limit = str(args, 'limit') === undefined ? Infinity : Number(str(args, 'limit'));
    if (!(limit >= 1)) throw new UsageError('--limit must be a number ≥ 1');
    const root = findWorkspaceRoot(global.cwd);
    const { history } = await computeHistory(root);
    if (!history.head) throw new LabError(`${root} has no git history yet (not a repository, or no commits)`);
    const id = await resolveEntryId(ref, root, global.cwd, Object.keys(history.entries));
    const items = (history.entries[id] ?? []).slice(0, limit);
    const data = { id, head: history.head, items };
    return { data, text: formatHistory(id, items, (history.entries[id] ?? []).length) };
  },
};

/** An id as given, or the id inside the file at a path, or a unique id prefix. */
async function resolveEntryId(ref: string, root: string, cwd: string, known: string[]): Promise<string> {
  if (known.includes(ref)) return ref;
  const file = path.resolve(cwd, ref);
  if (/\.(md|org)$/i.test(ref) && existsSync(file)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const snap = snapshotFromSource(rel, readFileSync(file, 'utf8'));
    if (isProblem(snap)) throw new LabError(`${snap.path}:${snap.line}:${snap.column}: ${snap.message}`);
    return snap.id;
  }
  const prefixed = known.filter((id) => id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) throw new LabError(`'${ref}' matches ${prefixed.length} entries: ${prefixed.slice(0, 5).join(', ')}; give more of the id`);
  throw new LabError(`no entry '${ref}' in the committed history (give an entry id or the path of an entry file)`);
}

function formatHistory(id: string, items: HistoryItem[], total: number): string {
  if (!items.length) return `${id}: no commits touched this entry yet (uncommitted?)`;
  const lines = [`History of ${id} (${total} commit${total > 1 ? 's' : ''}, newest first)`];
  for (const it of items) {
    lines.push('', `${it.commit.slice(0, 7)}  ${it.date.replace('T', ' ').replace(/:\d\dZ$/, 'Z')}  ${it.author}  ${it.message}`);
    for (const c of it.changes) lines.push(`    ${c}`);
  }
  if (total > items.length) lines.push('', `… ${total - items.length} older commits (use --limit)`);
  return lines.join('\n');
}
