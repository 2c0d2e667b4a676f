import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError, UsageError } from '../../core/diagnostics.ts';
import { findEntry } from '../../core/resolve.ts';
import { findWorkspaceRoot } from '../../core/workspace-root.ts';
import { describeComparison } from '../../git/describe.ts';
import { compareEntries } from '../../git/entry-compare.ts';
import { isProblem, snapshotFromSource } from '../../git/entry-snapshot.ts';
import { entryVersions } from '../../git/entry-versions.ts';
import { computeHistory, type HistoryItem } from '../../git/history.ts';
import { openRepo, readBlobText, readCommitInfo, readTreeItems, subtreeOid } from '../../git/repo.ts';
import { compile } from '../../sdk/journal.ts';
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
    const current = await currentEntry(ref, root, global.cwd);
    const id = current?.id ?? (await resolveEntryId(ref, root, global.cwd, Object.keys(history.entries)));
    const items = (history.entries[id] ?? []).slice(0, limit);
    const uncommitted = current ? await uncommittedChanges(root, history.head, current.path, items.length > 0) : null;
    const data = { id, head: history.head, uncommitted, items };
    return { data, text: formatHistory(id, items, (history.entries[id] ?? []).length, uncommitted) };
  },
};

/** The entry as it is in the working tree (id and path), when the journal resolves it. */
async function currentEntry(ref: string, root: string, cwd: string): Promise<{ id: string; path: string } | null> {
  try {
    const { index } = await compile(root, { write: false });
    const e = findEntry(index, ref, root, cwd);
    return { id: e.id, path: e.source.path };
  } catch {
    return null; // deleted, or unreadable now: the committed history still knows it
  }
}

/** What differs between the entry file at HEAD and in the working tree; null when nothing does. */
async function uncommittedChanges(root: string, head: string, rel: string, hasHistory: boolean): Promise<string[] | null> {
  const repo = openRepo(root)!;
  const working = readFileSync(path.join(root, rel), 'utf8');
  const { tree } = await readCommitInfo(repo, head);
  const slash = rel.lastIndexOf('/');
  const dir = await subtreeOid(repo, tree, `${repo.prefix}${rel.slice(0, slash)}`);
  const item = dir && (await readTreeItems(repo, dir)).find((i) => i.name === rel.slice(slash + 1) && i.type === 'blob');
  if (!item) return [hasHistory ? 'moved or renamed here (not committed yet)' : 'new file, not committed yet'];
  const committed = await readBlobText(repo, item.oid);
  if (committed === working) return null;
  const { before, after } = entryVersions({ path: rel, text: committed }, { path: rel, text: working });
  if (!before || !after || isProblem(before) || isProblem(after)) return ['file edited; it does not parse as an entry right now'];
  const changes = describeComparison(compareEntries(before, after));
  return changes.length ? changes : ['file reformatted (no change to the entry)'];
}

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
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw new LabError(`'${ref}' matches ${prefixed.length} entries: ${prefixed.slice(0, 5).join(', ')}; give more of the id`);
  throw new LabError(`no entry '${ref}' in the committed history (give an entry id or the path of an entry file)`);
}

function formatHistory(id: string, items: HistoryItem[], total: number, uncommitted: string[] | null): string {
  const lines = [items.length ? `History of ${id} (${total} commit${total > 1 ? 's' : ''}, newest first)` : `${id}: no commit has touched this entry yet`];
  if (uncommitted) {
    lines.push('', 'uncommitted changes');
    for (const c of uncommitted) lines.push(`    ${c}`);
  }
  for (const it of items) {
    lines.push('', `${it.commit.slice(0, 7)}  ${it.date.replace('T', ' ').replace(/:\d\dZ$/, 'Z')}  ${it.author}  ${it.message}`);
    for (const c of it.changes) lines.push(`    ${c}`);
  }
  if (total > items.length) lines.push('', `… ${total - items.length} older commit${total - items.length > 1 ? 's' : ''} (use --limit)`);
  return lines.join('\n');
}
