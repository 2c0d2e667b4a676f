/**
 * `lab diff` from a range to a JournalDiff: picks the two sides the way git
 * does (`a..b`, `a...b`, `a` = since the branch left `a`, nothing = since the
 * default branch), reads both with isomorphic-git and compares them.
 */
import { readConfig } from '../../core/config.ts';
import { LabError } from '../../core/diagnostics.ts';
import { openRepo, type Repo } from '../repo.ts';
import { defaultBranch, headCommit, mergeBase, resolveRevision, shallowHint } from '../revisions.ts';
import { filesAtCommit, type SnapshotOptions, snapshotAtCommit, snapshotOfWorkingTree } from '../snapshot.ts';
import { computeDiff, type DiffInput } from './compute.ts';
import type { JournalDiff } from './model.ts';

/** What to compare: the sides as commits, or `null` head for the working tree. */
export interface DiffPlan {
  repo: Repo;
  base: { ref: string; commit: string };
  head: { ref: string; commit: string } | null;
  notes: string[];
}

/**
 * Turns a range as typed into two sides:
 * - nothing: merge base of the default branch and HEAD → working tree;
 * - `A`: merge base of A and HEAD → working tree (what this branch did since it left A);
 * - `A..B`: A → B exactly; `A...B`: merge base of A and B → B; an empty side means HEAD.
 */
async function planDiff(root: string, range: string | undefined): Promise<DiffPlan> {
  const repo = openRepo(root);
  if (!repo) throw new LabError(`${root} is not inside a git repository: lab diff compares commits`);
  const notes: string[] = [];
  const head = await headCommit(repo);
  if (range === undefined) {
    const config = await readConfig(root).catch(() => ({ default_branch: undefined }));
    const branch = config.default_branch ?? (await defaultBranch(repo));
    if (!branch) throw new LabError('no default branch found (main, master or origin/HEAD): name the base, e.g. `lab diff main`');
    range = branch;
  }
  const three = range.split('...');
  const two = range.split('..');
  if (three.length === 2) {
    const a = await resolveRevision(repo, three[0] || 'HEAD');
    const b = await resolveRevision(repo, three[1] || 'HEAD');
    const mb = await mergeBaseOrTip(repo, a, b, three[0] || 'HEAD', notes);
    return { repo, base: { ref: three[0] || 'HEAD', commit: mb }, head: { ref: three[1] || 'HEAD', commit: b }, notes };
  }
  if (two.length === 2) {
    const a = await resolveRevision(repo, two[0] || 'HEAD');
    const b = await resolveRevision(repo, two[1] || 'HEAD');
    return { repo, base: { ref: two[0] || 'HEAD', commit: a }, head: { ref: two[1] || 'HEAD', commit: b }, notes };
  }
  if (two.length > 2) throw new LabError(`cannot read the range '${range}': use <base>, <base>..<head> or <base>...<head>`, { exitCode: 2 });
  const a = await resolveRevision(repo, range);
  if (!head) return { repo, base: { ref: range, commit: a }, head: null, notes };
  const mb = await mergeBaseOrTip(repo, a, head, range, notes);
  return { repo, base: { ref: range, commit: mb }, head: null, notes };
}

/** The merge base; in a shallow clone that lacks it, the base tip itself, with a note saying so. */
async function mergeBaseOrTip(repo: Repo, a: string, b: string, name: string, notes: string[]): Promise<string> {
  let mb: string | null = null;
  try {
    mb = await mergeBase(repo, a, b);
  } catch (e) {
    if (!repo.shallow.size) throw e;
  }
  if (mb) return mb;
  if (repo.shallow.size) {
    notes.push(`the merge base of ${name} and the head is not in this shallow clone; compared with the tip of ${name} instead${shallowHint(repo)}`);
    return a;
  }
  throw new LabError(`${name} and the head share no history: compare two commits with ${name}..<head>`);
}

/** Compiles both sides of a plan and compares them; `options.entryTypes` adds the input problems to each side's. */
export async function diffJournal(root: string, range: string | undefined, options: SnapshotOptions = {}): Promise<{ diff: JournalDiff; plan: DiffPlan }> {
  const plan = await planDiff(root, range);
  const base: DiffInput = await snapshotAtCommit(plan.repo, plan.base.commit, plan.base.ref, options);
  const head: DiffInput = plan.head ? await snapshotAtCommit(plan.repo, plan.head.commit, plan.head.ref, options) : await snapshotOfWorkingTree(root, options);
  if (!plan.head) {
    // A clean working tree is HEAD: name the commit, so links and "reproduce" lines can use it.
    const headOid = await headCommit(plan.repo);
    if (headOid && sameFiles(head.files, await filesAtCommit(plan.repo, headOid))) head.side = { ref: 'HEAD', commit: headOid };
  }
  const diff = computeDiff(base, head);
  diff.notes.push(...plan.notes);
  return { diff, plan };
}

/** Same files with the same content (blobs are content-addressed: their path is enough; dotfiles are not journal files). */
function sameFiles(work: Map<string, string>, committed: Map<string, string>): boolean {
  const visible = (m: Map<string, string>) => [...m].filter(([p]) => !p.includes('/.'));
  const a = visible(work);
  const b = new Map(visible(committed));
  if (a.length !== b.size) return false;
  return a.every(([p, id]) => b.has(p) && (p.startsWith('content/blobs/') || b.get(p) === id));
}
