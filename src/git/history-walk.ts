/**
 * ONE walk over the commits reachable from HEAD (README: "History of an entry"): for each commit,
 * the journal files it changed (tree compared with its parents, unchanged
 * subtrees skipped) and, for each entry file, what changed in the entry. Each
 * commit's result is cached by its oid in `.lab/cache/history/`, so after one
 * new commit the walk reads one commit.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/fs/atomic.ts';
import { splitMarkdown } from '../core/source/frontmatter.ts';
import { splitOrg } from '../core/source/org.ts';
import { describeComparison } from './describe.ts';
import { compareEntries } from './entry-compare.ts';
import { type EntrySnapshot, isProblem } from './entry-snapshot.ts';
import { entryVersions, type FileVersion } from './entry-versions.ts';
import { type CommitInfo, findReadme, type Repo, readBlobText, readCommitInfo, readTreeItems, subtreeOid } from './repo.ts';
import { diffTrees, type FileChange } from './tree-diff.ts';
import { type Direction, isPlainObject } from './values.ts';

/** Bump when the record shape or the change phrases change: old caches are discarded. */
const RECORD_VERSION = 6;

/** What one commit did to an entry. */
interface EntryTouch {
  id: string;
  path: string;
  changes: string[];
}

/** The cached result for one commit. */
interface CommitRecord {
  parents: string[];
  /** Committer time (seconds): orders the walk. */
  time: number;
  /** Author date, ISO-8601 UTC. */
  date: string;
  author: string;
  /** Subject line of the message. */
  message: string;
  /** Notebook and page folders (`content/notebooks/<nb>[/<page>]`) under which something changed. */
  touched: string[];
  entries: EntryTouch[];
}

interface CacheFile {
  version: number;
  prefix: string;
  commits: Record<string, CommitRecord>;
}

function cachePath(root: string): string {
  return path.join(root, '.lab', 'cache', 'history', 'commits.json');
}

async function loadCache(root: string, prefix: string): Promise<Map<string, CommitRecord>> {
  try {
    const data = JSON.parse(await fs.readFile(cachePath(root), 'utf8')) as CacheFile;
    if (data.version === RECORD_VERSION && data.prefix === prefix) return new Map(Object.entries(data.commits));
  } catch {
    /* missing or unreadable cache: start over */
  }
  return new Map();
}

async function saveCache(root: string, prefix: string, records: Map<string, CommitRecord>): Promise<void> {
  const commits: Record<string, CommitRecord> = {};
  for (const oid of [...records.keys()].sort()) commits[oid] = records.get(oid)!;
  await fs.mkdir(path.dirname(cachePath(root)), { recursive: true });
  await writeFileAtomic(cachePath(root), JSON.stringify({ version: RECORD_VERSION, prefix, commits } satisfies CacheFile));
}

export interface WalkResult {
  /** Commits newest first (date order, children before parents). */
  order: string[];
  records: Map<string, CommitRecord>;
  /** How many commits were read from git (the rest came from the cache). */
  computed: number;
}

/** Walks every commit reachable from `head`, using and updating the cache under `root`. */
export async function walkHistory(repo: Repo, root: string, head: string, options: { cache?: boolean } = {}): Promise<WalkResult> {
  const useCache = options.cache ?? true;
  const cached = useCache ? await loadCache(root, repo.prefix) : new Map<string, CommitRecord>();
  const records = new Map<string, CommitRecord>();
  const infos = new Map<string, CommitInfo | null>();
  const info = async (oid: string): Promise<CommitInfo | null> => {
    if (!infos.has(oid)) infos.set(oid, await readCommitInfo(repo, oid).catch(() => null));
    return infos.get(oid)!;
  };
  let computed = 0;
  const stack = [head];
  while (stack.length) {
    const oid = stack.pop()!;
    if (records.has(oid)) continue;
    let rec = cached.get(oid);
    if (!rec) {
      const c = await info(oid);
      if (!c) continue; // not in this clone
      rec = await recordCommit(repo, c, info);
      computed++;
    }
    records.set(oid, rec);
    for (const p of rec.parents) if (!records.has(p)) stack.push(p);
  }
  if (useCache && computed) await saveCache(root, repo.prefix, records);
  return { order: dateOrder(records, head), records, computed };
}

/** Children before parents; among ready commits the newest first, ties by oid (deterministic). */
function dateOrder(records: Map<string, CommitRecord>, head: string): string[] {
  const pending = new Map<string, number>();
  for (const rec of records.values()) for (const p of rec.parents) if (records.has(p)) pending.set(p, (pending.get(p) ?? 0) + 1);
  const ready: string[] = records.has(head) ? [head] : [];
  const order: string[] = [];
  const newer = (a: string, b: string) => records.get(b)!.time - records.get(a)!.time || (a < b ? -1 : 1);
  while (ready.length) {
    // A small sorted frontier: merges are rare, so it stays a handful of commits.
    ready.sort(newer);
    const oid = ready.shift()!;
    order.push(oid);
    for (const p of records.get(oid)!.parents) {
      if (!records.has(p)) continue;
      const left = pending.get(p)! - 1;
      pending.set(p, left);
      if (left === 0) ready.push(p);
    }
  }
  return order;
}

async function contentTree(repo: Repo, c: CommitInfo): Promise<string | null> {
  return subtreeOid(repo, c.tree, `${repo.prefix}content`);
}

async function recordCommit(repo: Repo, c: CommitInfo, info: (oid: string) => Promise<CommitInfo | null>): Promise<CommitRecord> {
  const tree = await contentTree(repo, c);
  const parents = (await Promise.all(c.parents.map(info))).filter((p): p is CommitInfo => p !== null);
  let changes: FileChange[];
  if (!parents.length) changes = await diffTrees(repo, null, tree, 'content/');
  else {
    const perParent = await Promise.all(parents.map(async (p) => diffTrees(repo, await contentTree(repo, p), tree, 'content/')));
    // Like `git log -- <path>`: a merge touched a file only if it differs from every parent.
    changes = perParent[0]!.filter((ch) => perParent.slice(1).every((list) => list.some((o) => o.path === ch.path)));
  }
  const touched = new Set<string>();
  for (const ch of changes) {
    const parts = ch.path.split('/');
    if (parts[1] !== 'notebooks' || parts.length < 4) continue;
    touched.add(parts.slice(0, 3).join('/'));
    if (parts.length >= 5) touched.add(parts.slice(0, 4).join('/'));
  }
  return {
    parents: parents.map((p) => p.oid),
    time: c.time,
    date: c.date,
    author: c.author,
    message: c.message.split('\n')[0]!,
    touched: [...touched].sort(),
    entries: await entryTouches(repo, changes, (nb) => metricDirections(repo, tree, nb)),
  };
}

const directionMemo = new WeakMap<Repo, Map<string, Record<string, Direction>>>();

/** The notebook's declared metric directions (`settings.metrics`) at this commit's tree. */
async function metricDirections(repo: Repo, contentTreeOid: string | null, notebookFolder: string): Promise<Record<string, Direction>> {
  if (!contentTreeOid) return {};
  const nbTree = await subtreeOid(repo, contentTreeOid, `notebooks/${notebookFolder}`);
  const readme = nbTree && findReadme(await readTreeItems(repo, nbTree));
  if (!readme) return {};
  let memo = directionMemo.get(repo);
  if (!memo) directionMemo.set(repo, (memo = new Map()));
  let found = memo.get(readme.oid);
  if (!found) {
    const text = await readBlobText(repo, readme.oid);
    const { data } = readme.name.endsWith('.org') ? splitOrg(text) : splitMarkdown(text);
    const settings = data && isPlainObject(data.settings) ? data.settings : {};
    const declared = isPlainObject(settings.metrics) ? settings.metrics : {};
    found = Object.fromEntries(Object.entries(declared).filter(([, v]) => v === 'higher' || v === 'lower')) as Record<string, Direction>;
    memo.set(readme.oid, found);
  }
  return found;
}

const ENTRY_PATH = /^content\/notebooks\/[^/]+\/[^/]+\/entries\/[^/]+\.(md|org)$/i;

async function readVersion(repo: Repo, p: string, oid: string | null): Promise<FileVersion | null> {
  return oid ? { path: p, text: await readBlobText(repo, oid) } : null;
}

/** What the commit did to each entry, keyed by id so renames read as moves. */
async function entryTouches(
  repo: Repo,
  changes: FileChange[],
  directionsOf: (notebookFolder: string) => Promise<Record<string, Direction>>,
): Promise<EntryTouch[]> {
  const files = changes.filter((ch) => ENTRY_PATH.test(ch.path));
  const pairs = await Promise.all(
    files.map(async (ch) => {
      const before = await readVersion(repo, ch.path, ch.old);
      const after = await readVersion(repo, ch.path, ch.new);
      return { before, after, parsed: entryVersions(before, after) };
    }),
  );
  type Side = { snapshot: EntrySnapshot; file: FileVersion; pair: number };
  const byId = new Map<string, { before?: Side; after?: Side; unreadable?: string }>();
  const slot = (id: string) => byId.get(id) ?? byId.set(id, {}).get(id)!;
  pairs.forEach(({ before, after, parsed }, pair) => {
    const b = parsed.before;
    const a = parsed.after;
    if (b && !isProblem(b)) slot(b.id).before = { snapshot: b, file: before!, pair };
    if (a && !isProblem(a)) slot(a.id).after = { snapshot: a, file: after!, pair };
    else if (a && isProblem(a) && b && !isProblem(b)) slot(b.id).unreadable = `file could not be read: line ${a.line}: ${a.message}`;
  });
  const out: EntryTouch[] = [];
  for (const [id, { before, after, unreadable }] of byId) {
    if (!after) {
      out.push({ id, path: before!.snapshot.path, changes: [unreadable ?? 'deleted'] });
      continue;
    }
    const changes: string[] = [];
    let old = before?.snapshot ?? null;
    let current = after.snapshot;
    if (!before) changes.push(`created as ${baseName(current.path)}`);
    else if (before.pair !== after.pair) {
      // Renamed or moved: the two files were parsed apart, compare them together.
      const both = entryVersions(before.file, after.file);
      if (both.before && both.after && !isProblem(both.before) && !isProblem(both.after)) [old, current] = [both.before, both.after];
      const sameDir = dirName(before.file.path) === dirName(after.file.path);
      changes.push(sameDir ? `renamed from ${baseName(before.file.path)}` : `moved from ${before.file.path}`);
    }
    const comparison = compareEntries(old, current, await directionsOf(current.path.split('/')[2]!));
    // A new entry: say whether it was already run and what it produced, not every input.
    const shown = old ? comparison : { ...comparison, inputs: [], metrics: [], outputs: [], outputs_other: [], rating: null };
    if (old || comparison.run) changes.push(...describeComparison(shown));
    if (!changes.length) changes.push('file reformatted (no change to the entry)');
    out.push({ id, path: current.path, changes });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirName(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}
