/**
 * A read-only view of the git repository a workspace lives in, through
 * isomorphic-git (no git binary needed). One `Repo` shares one object cache and
 * one tree memo, so walking many commits reads each tree object once.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { LabError } from '../core/diagnostics.ts';
import { parseCommit, parseTree } from './object-format.ts';
import { ObjectStore } from './objects.ts';

/** One item of a git tree. */
export interface TreeItem {
  /** File or folder name (one path segment). */
  name: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
}

/** What a commit says about itself. */
export interface CommitInfo {
  oid: string;
  tree: string;
  parents: string[];
  /** Author name. */
  author: string;
  /** Author date, ISO-8601 UTC. */
  date: string;
  /** Committer time, seconds since the epoch: orders the walk. */
  time: number;
  /** Full commit message, trailing whitespace removed. */
  message: string;
}

export interface Repo {
  /** Working-tree directory of the repository. */
  dir: string;
  /** The git directory of this working tree (holds HEAD). */
  gitdir: string;
  /** Where objects and refs live: the gitdir, or the main repository's for a linked worktree. */
  commondir: string;
  /** The workspace's path inside the repository: '' or `sub/dir/` (with trailing slash). */
  prefix: string;
  /** isomorphic-git's object cache (pack indexes), shared by every read. */
  cache: object;
  /** Commits the clone has without their parents (`.git/shallow`). */
  shallow: Set<string>;
  /** Fast object reads (see objects.ts); isomorphic-git is the fallback. */
  store: ObjectStore;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const treeMemo = new WeakMap<Repo, Map<string, TreeItem[]>>();

/** Finds the repository containing `root` (a workspace root), or null when there is none. */
export function openRepo(root: string): Repo | null {
  let dir = path.resolve(root);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    let gitdir: string | null = null;
    try {
      const st = fs.statSync(dotGit);
      if (st.isDirectory()) gitdir = dotGit;
      else if (st.isFile()) {
        // Linked worktrees and submodules: `.git` is a file saying `gitdir: <path>`.
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
        if (m) gitdir = path.resolve(dir, m[1]!);
      }
    } catch {
      /* not here; look further up */
    }
    if (gitdir) {
      const rel = path.relative(dir, path.resolve(root)).split(path.sep).join('/');
      const common = commonDir(gitdir);
      const format = objectFormat(common);
      if (format !== 'sha1') {
        throw new LabError(
          `the git repository at ${dir} names its objects with ${format.toUpperCase()} (extensions.objectFormat); lab history and lab diff read SHA-1 repositories only (isomorphic-git, their fallback, has no ${format.toUpperCase()} support)`,
        );
      }
      return { dir, gitdir, commondir: common, prefix: rel ? `${rel}/` : '', cache: {}, shallow: readShallow(common), store: new ObjectStore(common) };
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** `extensions.objectFormat` of the repository's config: `sha1` unless the repository was made with another. */
function objectFormat(commondir: string): string {
  try {
    const config = fs.readFileSync(path.join(commondir, 'config'), 'utf8');
    const section = /^\s*\[extensions\]([^[]*)/im.exec(config)?.[1] ?? '';
    return /^\s*objectformat\s*=\s*(\S+)/im.exec(section)?.[1]?.toLowerCase() ?? 'sha1';
  } catch {
    return 'sha1';
  }
}

/** A linked worktree's gitdir names the main repository's (objects, shallow) in `commondir`. */
function commonDir(gitdir: string): string {
  try {
    return path.resolve(gitdir, fs.readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim());
  } catch {
    return gitdir;
  }
}

function readShallow(gitdir: string): Set<string> {
  try {
    return new Set(fs.readFileSync(path.join(gitdir, 'shallow'), 'utf8').split(/\s+/).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** isomorphic-git's common arguments: objects and refs live in the common dir. */
export function gitArgs(repo: Repo) {
  return { fs, dir: repo.dir, gitdir: repo.commondir, cache: repo.cache };
}

/** Reads a commit's parents, tree, author and message. */
export async function readCommitInfo(repo: Repo, oid: string): Promise<CommitInfo> {
  const obj = repo.store.read(oid);
  let commit: { tree: string; parents: string[]; author: { name: string; timestamp: number }; committer: { timestamp: number } | null; message: string };
  if (obj && obj.type === 'commit') commit = parseCommit(obj.data);
  else {
    // Annotated tags, alternates and anything the fast reader does not handle.
    const read = (await git.readCommit({ ...gitArgs(repo), oid })).commit;
    commit = { tree: read.tree, parents: read.parent, author: read.author, committer: read.committer, message: read.message };
  }
  const ts = commit.author.timestamp;
  return {
    oid,
    tree: commit.tree,
    // A shallow clone's boundary commits name parents the clone does not have.
    parents: repo.shallow.has(oid) ? [] : commit.parents,
    author: commit.author.name,
    date: new Date(ts * 1000).toISOString().replace('.000Z', 'Z'),
    time: commit.committer?.timestamp ?? ts,
    message: commit.message.replace(/\s+$/, ''),
  };
}

/** Reads a tree object, memoized per repo (trees are immutable). */
export async function readTreeItems(repo: Repo, oid: string): Promise<TreeItem[]> {
  if (oid === EMPTY_TREE) return [];
  let memo = treeMemo.get(repo);
  if (!memo) treeMemo.set(repo, (memo = new Map()));
  const hit = memo.get(oid);
  if (hit) return hit;
  const obj = repo.store.read(oid);
  const entries =
    obj && obj.type === 'tree'
      ? parseTree(obj.data).map((t) => ({ name: t.name, oid: t.oid, mode: t.mode, type: treeItemType(t.mode) }))
      : (await git.readTree({ ...gitArgs(repo), oid })).tree.map((t) => ({ name: t.path, oid: t.oid, mode: t.mode, type: t.type }));
  const items: TreeItem[] = entries;
  if (memo.size > 50_000) memo.clear();
  memo.set(oid, items);
  return items;
}

function treeItemType(mode: string): TreeItem['type'] {
  return mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
}

/** Reads a blob's bytes. */
export async function readBlobBytes(repo: Repo, oid: string): Promise<Uint8Array> {
  const obj = repo.store.read(oid);
  if (obj && obj.type === 'blob') return obj.data;
  const { blob } = await git.readBlob({ ...gitArgs(repo), oid });
  return blob;
}

/** Reads a blob as UTF-8 text. */
export async function readBlobText(repo: Repo, oid: string): Promise<string> {
  return Buffer.from(await readBlobBytes(repo, oid)).toString('utf8');
}

/**
 * The oid of the tree at `dirPath` (repo-relative, no trailing slash; '' = root)
 * inside the tree `rootTree`, or null when that folder does not exist there.
 */
export async function subtreeOid(repo: Repo, rootTree: string, dirPath: string): Promise<string | null> {
  let oid = rootTree;
  for (const seg of dirPath.split('/').filter(Boolean)) {
    const item = (await readTreeItems(repo, oid)).find((t) => t.name === seg);
    if (!item || item.type !== 'tree') return null;
    oid = item.oid;
  }
  return oid;
}

/** Every file under the tree `treeOid`, as `prefix + relative path` → blob oid. */
export async function listFiles(repo: Repo, treeOid: string, prefix: string, out = new Map<string, string>()): Promise<Map<string, string>> {
  for (const item of await readTreeItems(repo, treeOid)) {
    if (item.type === 'tree') await listFiles(repo, item.oid, `${prefix}${item.name}/`, out);
    else if (item.type === 'blob') out.set(`${prefix}${item.name}`, item.oid);
  }
  return out;
}

/** A folder's notebook or page file: `README.md`, or `README.org` for Org users (as the compiler reads them). */
export function findReadme(items: TreeItem[]): TreeItem | undefined {
  return items.find((i) => i.name === 'README.md' && i.type === 'blob') ?? items.find((i) => i.name === 'README.org' && i.type === 'blob');
}
