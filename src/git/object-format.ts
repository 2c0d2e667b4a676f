/**
 * git's object formats: delta instructions (packs), tree entries and commit
 * headers. Pure functions over bytes.
 */

/** Applies a git delta (copy/insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let pos = 0;
  const varint = () => {
    let n = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[pos++]!;
      n += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return n;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new Error(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  const out = Buffer.allocUnsafe(varint());
  let o = 0;
  while (pos < delta.length) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      for (let b = 0; b < 4; b++) if (op & (1 << b)) off += delta[pos++]! * 2 ** (8 * b);
      for (let b = 0; b < 3; b++) if (op & (0x10 << b)) size += delta[pos++]! * 2 ** (8 * b);
      if (size === 0) size = 0x10000;
      o += base.copy(out, o, off, off + size);
    } else if (op) {
      o += delta.copy(out, o, pos, pos + op);
      pos += op;
    } else throw new Error('invalid delta instruction 0');
  }
  if (o !== out.length) throw new Error(`delta produced ${o} bytes, expected ${out.length}`);
  return out;
}

/** Parses a tree object's entries. */
export function parseTree(data: Buffer): { mode: string; name: string; oid: string }[] {
  const out: { mode: string; name: string; oid: string }[] = [];
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, sp);
    out.push({
      mode: data.toString('latin1', pos, sp),
      name: data.toString('utf8', sp + 1, nul),
      oid: data.toString('hex', nul + 1, nul + 21),
    });
    pos = nul + 21;
  }
  return out;
}

/** Parses a commit object: tree, parents, author/committer (name, seconds) and message. */
export function parseCommit(data: Buffer): {
  tree: string;
  parents: string[];
  author: { name: string; timestamp: number };
  committer: { name: string; timestamp: number } | null;
  message: string;
} {
  const text = data.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author = { name: '', timestamp: 0 };
  let committer: { name: string; timestamp: number } | null = null;
  const person = (v: string) => {
    const m = /^(.*?) <[^>]*> (-?\d+)/.exec(v);
    return m ? { name: m[1]!, timestamp: Number(m[2]) } : { name: v, timestamp: 0 };
  };
  for (const line of headers.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation (gpgsig, mergetag)
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = person(value);
    else if (key === 'committer') committer = person(value);
  }
  return { tree, parents, author, committer, message };
}
