/**
 * Compares two git trees by walking only the folders whose tree oids differ:
 * an unchanged subtree is skipped without being read, so the cost of a commit
 * is proportional to what it changed, not to the size of the journal.
 */
import { type Repo, readTreeItems, type TreeItem } from './repo.ts';

const EMPTY = Buffer.alloc(0);
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** One file that differs between two trees. `null` on the side where it does not exist. */
export interface FileChange {
  /** Path relative to the compared folder, e.g. `notebooks/nb/page/entries/001-x.md`. */
  path: string;
  old: string | null;
  new: string | null;
}

/**
 * Files that differ between trees `a` and `b` (either may be null = empty),
 * sorted by path. `prefix` is prepended to every path.
 */
export async function diffTrees(repo: Repo, a: string | null, b: string | null, prefix = ''): Promise<FileChange[]> {
  const out: FileChange[] = [];
  await walk(repo, a, b, prefix, out);
  out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return out;
}

async function walk(repo: Repo, a: string | null, b: string | null, prefix: string, out: FileChange[]): Promise<void> {
  if (a === b) return;
  const rawA = a ? rawTree(repo, a) : EMPTY;
  const rawB = b ? rawTree(repo, b) : EMPTY;
  if (rawA && rawB) return walkRaw(repo, rawA, rawB, prefix, out);
  const left = a ? await readTreeItems(repo, a) : [];
  const right = b ? await readTreeItems(repo, b) : [];
  const byName = new Map<string, [TreeItem | undefined, TreeItem | undefined]>();
  for (const item of left) byName.set(item.name, [item, undefined]);
  for (const item of right) {
    const pair = byName.get(item.name);
    if (pair) pair[1] = item;
    else byName.set(item.name, [undefined, item]);
  }
  for (const [name, [l, r]] of byName) {
    if (l && r && l.oid === r.oid && l.type === r.type) continue;
    const p = `${prefix}${name}`;
    const lTree = l?.type === 'tree' ? l.oid : null;
    const rTree = r?.type === 'tree' ? r.oid : null;
    const lBlob = l?.type === 'blob' ? l.oid : null;
    const rBlob = r?.type === 'blob' ? r.oid : null;
    if (lTree || rTree) await walk(repo, lTree, rTree, `${p}/`, out);
    if (lBlob !== rBlob) out.push({ path: p, old: lBlob, new: rBlob });
  }
}

/** A tree object's raw bytes from the fast reader, or null (then the isomorphic-git path is used). */
function rawTree(repo: Repo, oid: string): Buffer | null {
  if (oid === EMPTY_TREE) return EMPTY;
  const obj = repo.store.read(oid);
  return obj && obj.type === 'tree' ? obj.data : null;
}

/** Cursor over a raw tree: `<mode> <name>\0<20-byte oid>` entries in git order. */
interface RawEntry {
  nameStart: number;
  nameEnd: number;
  oidStart: number;
  isTree: boolean;
  isBlob: boolean;
  next: number;
}

function entryAt(buf: Buffer, pos: number): RawEntry | null {
  if (pos >= buf.length) return null;
  const sp = buf.indexOf(0x20, pos);
  const nul = buf.indexOf(0, sp);
  // Modes: 40000 tree, 160000 submodule, 100644/100755/120000 blobs.
  const isTree = sp - pos === 5 && buf[pos] === 0x34;
  const isBlob = buf[pos] === 0x31 && buf[pos + 1] !== 0x36;
  return { nameStart: sp + 1, nameEnd: nul, oidStart: nul + 1, isTree, isBlob, next: nul + 21 };
}

/** git's tree order: names compared bytewise, a tree's name as if it ended with '/'. */
function compareEntries(a: Buffer, x: RawEntry, b: Buffer, y: RawEntry): number {
  const la = x.nameEnd - x.nameStart;
  const lb = y.nameEnd - y.nameStart;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = a[x.nameStart + i]! - b[y.nameStart + i]!;
    if (d) return d;
  }
  const ca = la > n ? a[x.nameStart + n] : x.isTree ? 0x2f : 0;
  const cb = lb > n ? b[y.nameStart + n] : y.isTree ? 0x2f : 0;
  return ca! - cb!;
}

/** Merge-walks two raw trees; only entries that differ become strings. */
async function walkRaw(repo: Repo, a: Buffer, b: Buffer, prefix: string, out: FileChange[]): Promise<void> {
  let x = entryAt(a, 0);
  let y = entryAt(b, 0);
  while (x || y) {
    const order = !x ? 1 : !y ? -1 : compareEntries(a, x, b, y);
    if (order === 0 && x!.isTree === y!.isTree && a.compare(b, y!.oidStart, y!.oidStart + 20, x!.oidStart, x!.oidStart + 20) === 0) {
      x = entryAt(a, x!.next);
      y = entryAt(b, y!.next);
      continue;
    }
    const left = order <= 0 ? x : null;
    const right = order >= 0 ? y : null;
    const name = left ? a.toString('utf8', left.nameStart, left.nameEnd) : b.toString('utf8', right!.nameStart, right!.nameEnd);
    const oidOf = (buf: Buffer, e: RawEntry) => buf.toString('hex', e.oidStart, e.oidStart + 20);
    const lTree = left?.isTree ? oidOf(a, left) : null;
    const rTree = right?.isTree ? oidOf(b, right) : null;
    const lBlob = left?.isBlob ? oidOf(a, left) : null;
    const rBlob = right?.isBlob ? oidOf(b, right) : null;
    if (lTree || rTree) await walk(repo, lTree, rTree, `${prefix}${name}/`, out);
    if (lBlob !== rBlob) out.push({ path: `${prefix}${name}`, old: lBlob, new: rBlob });
    if (left) x = entryAt(a, left.next);
    if (right) y = entryAt(b, right.next);
  }
}
