/**
 * Where the original bytes of an archived blob survive: git history. Archiving
 * refuses a blob that HEAD does not hold (its only copy would be deleted — the
 * git-lfs prune and dvc gc bug reports), and restoring reads it back from the
 * commit the archive record names, or from any commit reachable from HEAD.
 */
import { createHash } from 'node:crypto';
import { openRepo, type Repo, readBlobBytes, readCommitInfo, readTreeItems, subtreeOid } from '../git/repo.ts';
import { headCommit } from '../git/revisions.ts';

/** The repository and its HEAD commit, or null outside git / before the first commit. */
export async function openHead(root: string): Promise<{ repo: Repo; head: string } | null> {
  const repo = openRepo(root);
  if (!repo) return null;
  const head = await headCommit(repo);
  return head ? { repo, head } : null;
}

/** The git blob oid of `content/blobs/<aa>/<hex>.*` in a commit's tree, or null. */
async function blobAtCommit(repo: Repo, commit: string, hex: string): Promise<string | null> {
  let info;
  try {
    info = await readCommitInfo(repo, commit);
  } catch {
    return null; // not in this clone (shallow, or another clone's commit)
  }
  const dir = await subtreeOid(repo, info.tree, `${repo.prefix}content/blobs/${hex.slice(0, 2)}`);
  if (!dir) return null;
  const item = (await readTreeItems(repo, dir)).find((t) => t.type === 'blob' && t.name.startsWith(`${hex}.`));
  return item?.oid ?? null;
}

/** Whether HEAD's tree holds exactly these bytes (git blob id `gitOid`) for this blob, so deleting the working copy loses nothing. */
export async function committedAtHead(repo: Repo, head: string, hex: string, gitOid: string): Promise<boolean> {
  const oid = await blobAtCommit(repo, head, hex);
  return oid !== null && oid === gitOid;
}

/**
 * The original bytes of blob `hex` from history, sha256-checked: the hinted commit
 * first, then a walk back from HEAD (bounded). Null when no commit in this clone has it.
 */
export async function readFromHistory(repo: Repo, hex: string, hint: string | undefined, maxCommits = 5000): Promise<{ bytes: Buffer; commit: string } | null> {
  const tryCommit = async (commit: string) => {
    const oid = await blobAtCommit(repo, commit, hex);
    if (!oid) return null;
    const bytes = Buffer.from(await readBlobBytes(repo, oid));
    return createHash('sha256').update(bytes).digest('hex') === hex ? { bytes, commit } : null;
  };
  if (hint) {
    const hit = await tryCommit(hint);
    if (hit) return hit;
  }
  const head = await headCommit(repo);
  const seen = new Set<string>();
  const queue = head ? [head] : [];
  while (queue.length && seen.size < maxCommits) {
    const commit = queue.shift()!;
    if (seen.has(commit)) continue;
    seen.add(commit);
    const hit = await tryCommit(commit);
    if (hit) return hit;
    queue.push(...(await readCommitInfo(repo, commit)).parents);
  }
  return null;
}
