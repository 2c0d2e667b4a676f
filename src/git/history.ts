/**
 * Entry history and "last changed" dates for the whole journal, from ONE walk
 * over the commits (see history-walk.ts), written to `.lab/history.json` for the
 * site and read by `lab history`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeIfChanged } from '../core/fs/atomic.ts';
import { canonicalJson } from '../core/hash.ts';
import { splitMarkdown } from '../core/source/frontmatter.ts';
import { splitOrg } from '../core/source/org.ts';
import { walkHistory } from './history-walk.ts';
import { findReadme, openRepo, type Repo, readBlobText, readCommitInfo, readTreeItems, subtreeOid } from './repo.ts';
import { headCommit } from './revisions.ts';

/** One commit in an entry's history. */
export interface HistoryItem {
  commit: string;
  /** Author date, ISO-8601 UTC. */
  date: string;
  author: string;
  /** Subject line of the commit message. */
  message: string;
  /** What changed in the entry at this commit, one phrase each. */
  changes: string[];
}

export interface LastChanged {
  /** Author date of the newest commit that changed anything in the folder, ISO-8601 UTC. */
  last_changed: string;
  commit: string;
}

/** `.lab/history.json`. */
export interface HistoryIndex {
  version: 1;
  /** The commit the history was computed at; null outside a repository or before the first commit. */
  head: string | null;
  /** Entry id → commits that touched its file, newest first (followed by id through renames and moves). */
  entries: Record<string, HistoryItem[]>;
  /** Page id → newest commit that changed its folder (README, entries, input files). */
  pages: Record<string, LastChanged>;
  /** Notebook id → newest commit that changed anything in the notebook's folder. */
  notebooks: Record<string, LastChanged>;
}

export function emptyHistory(): HistoryIndex {
  return { version: 1, head: null, entries: {}, pages: {}, notebooks: {} };
}

export interface HistoryStats {
  commits: number;
  /** Commits read from git in this run (the rest came from the cache). */
  computed: number;
}

/** Computes the history of the workspace at `root` (empty when it is not in a repository). */
export async function computeHistory(root: string, options: { cache?: boolean } = {}): Promise<{ history: HistoryIndex; stats: HistoryStats }> {
  const repo = openRepo(root);
  const head = repo && (await headCommit(repo));
  if (!repo || !head) return { history: emptyHistory(), stats: { commits: 0, computed: 0 } };
  const walk = await walkHistory(repo, root, head, options);
  const history = emptyHistory();
  history.head = head;
  const folders = await folderIds(repo, head);
  for (const oid of walk.order) {
    const rec = walk.records.get(oid)!;
    for (const touch of rec.entries) {
      (history.entries[touch.id] ??= []).push({ commit: oid, date: rec.date, author: rec.author, message: rec.message, changes: touch.changes });
    }
    for (const dir of rec.touched) {
      const owner = folders.get(dir);
      if (!owner) continue;
      const target = owner.kind === 'page' ? history.pages : history.notebooks;
      target[owner.id] ??= { last_changed: rec.date, commit: oid };
    }
  }
  return { history, stats: { commits: walk.order.length, computed: walk.computed } };
}

/** Writes `.lab/history.json` (only when its content changed). No repository → an empty history. */
export async function writeHistoryIndex(root: string): Promise<void> {
  const { history } = await computeHistory(root);
  await fs.mkdir(path.join(root, '.lab'), { recursive: true });
  await writeIfChanged(path.join(root, '.lab', 'history.json'), `${canonicalJson(history, 2)}\n`);
}

/**
 * Notebook and page folders at HEAD and their ids (frontmatter `id`, else
 * `nb-<folder>` / `page-<folder>`, as the compiler assigns them).
 */
async function folderIds(repo: Repo, head: string): Promise<Map<string, { kind: 'notebook' | 'page'; id: string }>> {
  const out = new Map<string, { kind: 'notebook' | 'page'; id: string }>();
  const { tree } = await readCommitInfo(repo, head);
  const notebooks = await subtreeOid(repo, tree, `${repo.prefix}content/notebooks`);
  if (!notebooks) return out;
  for (const nb of await readTreeItems(repo, notebooks)) {
    if (nb.type !== 'tree') continue;
    const nbDir = `content/notebooks/${nb.name}`;
    const items = await readTreeItems(repo, nb.oid);
    const readme = findReadme(items);
    if (readme) out.set(nbDir, { kind: 'notebook', id: (await declaredId(repo, readme)) ?? `nb-${nb.name}` });
    for (const pg of items) {
      if (pg.type !== 'tree') continue;
      const pageReadme = findReadme(await readTreeItems(repo, pg.oid));
      if (pageReadme) out.set(`${nbDir}/${pg.name}`, { kind: 'page', id: (await declaredId(repo, pageReadme)) ?? `page-${pg.name}` });
    }
  }
  return out;
}

async function declaredId(repo: Repo, readme: { name: string; oid: string }): Promise<string | null> {
  const text = await readBlobText(repo, readme.oid);
  const { data } = readme.name.endsWith('.org') ? splitOrg(text) : splitMarkdown(text);
  return data && typeof data.id === 'string' && data.id ? data.id : null;
}

/** Reads `.lab/history.json` if it exists. */
export async function readHistoryIndex(root: string): Promise<HistoryIndex | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(root, '.lab', 'history.json'), 'utf8')) as HistoryIndex;
  } catch {
    return null;
  }
}
