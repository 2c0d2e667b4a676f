/**
 * Revisions as people type them (branches, tags, `HEAD~2`, abbreviated ids),
 * HEAD of the working tree (linked worktrees included), the default branch and
 * merge bases — with errors that name the revision and explain shallow clones.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { LabError } from '../core/diagnostics.ts';
import { gitArgs, type Repo, readCommitInfo } from './repo.ts';

/** HEAD of this working tree: a branch (`refs/heads/x`) or a detached commit id. */
function readHead(repo: Repo): { ref: string } | { oid: string } | null {
  try {
    const text = fs.readFileSync(path.join(repo.gitdir, 'HEAD'), 'utf8').trim();
    const m = /^ref:\s*(\S+)/.exec(text);
    return m ? { ref: m[1]! } : /^[0-9a-f]{40}$/.test(text) ? { oid: text } : null;
  } catch {
    return null;
  }
}

/** The commit HEAD points at, or null in a repository without commits. */
export async function headCommit(repo: Repo): Promise<string | null> {
  const head = readHead(repo);
  if (!head) return null;
  return 'oid' in head ? head.oid : tryResolveRef(repo, head.ref);
}

/**
 * The repository's default branch: `origin/HEAD` when the clone knows it, else
 * the first of main, master, trunk that exists (local, then origin/).
 */
export async function defaultBranch(repo: Repo): Promise<string | null> {
  try {
    const text = fs.readFileSync(path.join(repo.commondir, 'refs/remotes/origin/HEAD'), 'utf8');
    const m = /^ref:\s*refs\/remotes\/(\S+)/.exec(text);
    if (m) return m[1]!;
  } catch {
    /* no remote HEAD recorded */
  }
  for (const name of ['main', 'master', 'trunk']) {
    for (const ref of [name, `origin/${name}`]) {
      if (await tryResolveRef(repo, ref)) return ref;
    }
  }
  return null;
}

async function tryResolveRef(repo: Repo, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, dir: repo.dir, gitdir: repo.commondir, ref });
  } catch {
    return null;
  }
}

/**
 * Resolves a revision the way people type them — a branch, tag, remote branch,
 * full or abbreviated commit id, optionally followed by `~N` / `^` / `^N` — to a
 * commit oid. Throws a LabError naming the revision when it cannot.
 */
export async function resolveRevision(repo: Repo, rev: string): Promise<string> {
  const m = /^(.*?)((?:[~^]\d*)*)$/.exec(rev.trim());
  const name = m?.[1] ?? rev;
  const suffix = m?.[2] ?? '';
  if (!name) throw new LabError(`unknown revision '${rev}'`);
  let oid = name === 'HEAD' || name === '@' ? await headCommit(repo) : await tryResolveRef(repo, name);
  if (!oid && /^[0-9a-f]{4,40}$/i.test(name)) {
    try {
      oid = await git.expandOid({ ...gitArgs(repo), oid: name.toLowerCase() });
    } catch (e) {
      if ((e as { code?: string }).code === 'AmbiguousError') throw new LabError(`revision '${rev}' is ambiguous: give more digits of the commit id`);
    }
  }
  if (!oid) {
    throw new LabError(`unknown revision '${name}': no branch, tag or commit by that name${shallowHint(repo)}`);
  }
  let commit = await peelToCommit(repo, oid, rev);
  for (const step of suffix.match(/[~^]\d*/g) ?? []) {
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    if (step[0] === '~') {
      for (let i = 0; i < n; i++) commit = await nthParent(repo, commit, 1, rev);
    } else if (n > 0) commit = await nthParent(repo, commit, n, rev);
  }
  return commit;
}

async function peelToCommit(repo: Repo, oid: string, rev: string): Promise<string> {
  try {
    return (await git.readCommit({ ...gitArgs(repo), oid })).oid;
  } catch (e) {
    throw new LabError(`revision '${rev}' does not name a commit (${(e as Error).message})${shallowHint(repo)}`);
  }
}

async function nthParent(repo: Repo, oid: string, n: number, rev: string): Promise<string> {
  const info = await readCommitInfo(repo, oid);
  const parent = info.parents[n - 1];
  if (!parent) {
    const why = repo.shallow.has(oid) ? ': this is a shallow clone and the parent was not fetched' : '';
    throw new LabError(`revision '${rev}' goes past the history of ${oid.slice(0, 7)}${why}`);
  }
  return parent;
}

/** The note added to "not found" errors in shallow clones. */
export function shallowHint(repo: Repo): string {
  return repo.shallow.size ? ' (this is a shallow clone; fetch the missing history with `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)' : '';
}

/**
 * The merge base of two commits (the lowest common ancestor; the first by oid
 * when a criss-cross history has several), or null when they share no history.
 * Walks commits through the fast object reader: isomorphic-git's findMergeBase
 * reads packed commits one slow read at a time.
 */
export async function mergeBase(repo: Repo, a: string, b: string): Promise<string | null> {
  try {
    const ofA = await ancestors(repo, [a], null);
    // From b, stop at the first commits that a also reaches: the candidates.
    const candidates = new Set<string>();
    const seen = new Set<string>([b]);
    const queue = [b];
    while (queue.length) {
      const oid = queue.shift()!;
      if (ofA.has(oid)) {
        candidates.add(oid);
        continue;
      }
      for (const p of (await readCommitInfo(repo, oid)).parents) {
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    // Drop candidates that are ancestors of other candidates.
    const redundant = new Set<string>();
    for (const c of candidates) {
      const others = [...candidates].filter((o) => o !== c && !redundant.has(o));
      if (others.length && (await ancestors(repo, others, c)).has(c)) redundant.add(c);
    }
    return [...candidates].filter((c) => !redundant.has(c)).sort()[0] ?? null;
  } catch (e) {
    throw new LabError(`cannot find where ${a.slice(0, 7)} and ${b.slice(0, 7)} diverged: ${(e as Error).message}${shallowHint(repo)}`);
  }
}

/** Every commit reachable from `starts` (inclusive); stops early once `target` is found. */
async function ancestors(repo: Repo, starts: string[], target: string | null): Promise<Set<string>> {
  const seen = new Set<string>(starts);
  const stack = [...starts];
  while (stack.length) {
    const oid = stack.pop()!;
    if (oid === target) break;
    for (const p of (await readCommitInfo(repo, oid)).parents) {
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return seen;
}
