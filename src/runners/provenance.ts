/**
 * Provenance recorded with each run: the repository commit and whether the
 * files the run depends on differ from it, host, runner name and version.
 *
 * The commit is read straight from `.git` (HEAD → ref → loose or packed ref),
 * which costs a few file reads. The dirty flag is `git status` (the CLI when
 * installed, else isomorphic-git's statusMatrix) limited to the entry's folder
 * and its referenced input files:
 * those are what a run reads, and scanning the whole repository would cost
 * seconds on a big journal. Sibling entry files (other experiments' `.md`/
 * `.org`) and the entry file itself (its inputs are recorded in it, and the
 * runner is about to rewrite it) are not counted.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

/** `execution.git`. */
export interface GitProvenance {
  commit: string;
  dirty: boolean;
}

/** Finds the git directory for `start` (a `.git` folder, or a `.git` file pointing elsewhere), with the work tree. */
async function findGitDir(start: string): Promise<{ workTree: string; gitDir: string } | null> {
  let dir = path.resolve(start);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const stat = await fs.stat(dotGit).catch(() => null);
    if (stat?.isDirectory()) return { workTree: dir, gitDir: dotGit };
    if (stat?.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(await fs.readFile(dotGit, 'utf8'));
      if (m) return { workTree: dir, gitDir: path.resolve(dir, m[1]!.trim()) };
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The commit HEAD points at, or null (no repository, or no commit yet). */
async function readHeadCommit(gitDir: string): Promise<string | null> {
  const head = (await fs.readFile(path.join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(head)) return head;
  const m = /^ref:\s*(.+)$/.exec(head);
  if (!m) return null;
  const ref = m[1]!.trim();
  // Linked worktrees keep refs in the common dir.
  const commonFile = path.join(gitDir, 'commondir');
  const common = existsSync(commonFile) ? path.resolve(gitDir, (await fs.readFile(commonFile, 'utf8')).trim()) : gitDir;
  for (const base of [gitDir, common]) {
    const loose = (await fs.readFile(path.join(base, ref), 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(loose)) return loose;
  }
  const packed = await fs.readFile(path.join(common, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === ref && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha!)) return sha!;
  }
  return null;
}

/**
 * `{ commit, dirty }` for a run of `entryFile` reading `inputFiles`, or null
 * outside a repository (or before the first commit).
 */
export async function gitProvenance(entryFile: string, inputFiles: string[]): Promise<GitProvenance | null> {
  const found = await findGitDir(path.dirname(entryFile));
  if (!found) return null;
  const commit = await readHeadCommit(found.gitDir);
  if (!commit) return null;
  const rel = (p: string) => path.relative(found.workTree, p).split(path.sep).join('/');
  const entryDir = rel(path.dirname(entryFile));
  const entryRel = rel(entryFile);
  const scoped = [...new Set([entryDir, ...inputFiles.map(rel)])].filter((p) => p && !p.startsWith('..'));
  const paths = scoped.length ? scoped : ['.'];
  const excluded = (p: string) => p === entryRel || p.endsWith('.result.yaml') || (path.posix.dirname(p) === entryDir && /\.(md|org)$/i.test(p));
  let dirty: boolean;
  try {
    const changed = process.env.LAB_GIT !== 'isomorphic' ? await changedWithGitCli(found.workTree, found.gitDir, paths) : null;
    dirty = changed ? changed.some((p) => !excluded(p)) : await dirtyWithIsomorphicGit(found.workTree, found.gitDir, commit, paths, excluded);
  } catch {
    // A repository we cannot read (e.g. an index extension isomorphic-git does not know): say dirty
    // rather than claim a clean state we could not verify.
    dirty = true;
  }
  return { commit, dirty };
}

/**
 * Changed, staged or untracked paths under `paths` according to the git CLI, or
 * null when there is no usable `git` binary. Same answer as statusMatrix, at a
 * tenth of the cost (no library to load, git's own stat cache).
 * GIT_OPTIONAL_LOCKS=0 keeps `git status` from refreshing (and locking) the index.
 */
async function changedWithGitCli(workTree: string, gitDir: string, paths: string[]): Promise<string[] | null> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      'git',
      ['--git-dir', gitDir, '--work-tree', workTree, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths],
      { cwd: workTree, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return resolve(null);
        const out: string[] = [];
        const parts = stdout.split('\0');
        for (let i = 0; i < parts.length; i++) {
          const rec = parts[i]!;
          if (rec.length < 4) continue;
          out.push(rec.slice(3));
          if (rec[0] === 'R' || rec[0] === 'C') i++; // renames carry the old path as the next record
        }
        resolve(out);
      },
    );
  });
}

/** The same check with isomorphic-git's statusMatrix (no git binary needed). */
async function dirtyWithIsomorphicGit(workTree: string, gitDir: string, commit: string, paths: string[], excluded: (p: string) => boolean): Promise<boolean> {
  const { default: git } = await import('isomorphic-git');
  const fsModule = await import('node:fs');
  const matrix = await git.statusMatrix({ fs: fsModule, dir: workTree, gitdir: gitDir, ref: commit, filepaths: paths, filter: (p: string) => !excluded(p) });
  return matrix.some(([, head, workdir, stage]) => !(head === 1 && workdir === 1 && stage === 1));
}
