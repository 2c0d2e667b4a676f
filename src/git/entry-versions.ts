/**
 * Two versions of an entry file, parsed only as far as needed to tell what
 * changed. YAML parsing dominates the history walk (~1 ms per entry file), and
 * a commit usually rewrites a few keys (`execution`, `metrics`, one parameter):
 * the frontmatter is cut into its top-level key blocks, and only blocks whose
 * text differs are parsed. Keys that did not change get the same placeholder
 * on both sides, so the comparison sees them as equal. Anything unusual (Org,
 * anchors, quoted or repeated keys) is parsed in full.
 */
import { parse } from 'yaml';
import { findFrontmatter } from '../core/source/frontmatter.ts';
import { type EntrySnapshot, isProblem, type SnapshotProblem, snapshotFromData, snapshotFromSource } from './entry-snapshot.ts';
import { isPlainObject } from './values.ts';

export interface FileVersion {
  path: string;
  text: string;
}

type Parsed = EntrySnapshot | SnapshotProblem;

const KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/;
const ANCHOR = /(?:^|[\s:[{,-])&[^\s,[\]{}]/m;

interface Blocks {
  keys: Map<string, string>;
  body: string;
}

/** Top-level key → its lines, or null when the frontmatter is not simple enough to cut safely. */
export function frontmatterBlocks(text: string): Blocks | null {
  const fm = findFrontmatter(text);
  if (!fm) return null;
  const yaml = text.slice(fm.yamlStart, fm.yamlEnd);
  if (ANCHOR.test(yaml)) return null;
  const keys = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current !== null) keys.set(current, lines.join('\n'));
  };
  for (const line of yaml.replace(/\r\n/g, '\n').split('\n')) {
    if (line === '' || line[0] === ' ' || line[0] === '\t' || line[0] === '#' || (line[0] === '-' && current !== null)) {
      if (current !== null) lines.push(line);
      else if (line.trim() && !line.startsWith('#')) return null;
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m || keys.has(m[1]!) || m[1] === current) return null;
    flush();
    current = m[1]!;
    lines = [line];
  }
  flush();
  return { keys, body: text.slice(fm.bodyStart).trim() };
}

/** Parsed multi-line blocks by their text: a commit's new block is the next commit's old one. */
const blockMemo = new Map<string, unknown>();
const MEMO_LIMIT = 50_000;

/** Parses the blocks of the given keys; null when one does not parse (the caller then parses in full). */
function parseBlocks(blocks: Blocks, keys: Iterable<string>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const block = blocks.keys.get(key);
    if (block === undefined) continue;
    if (!blockMemo.has(block)) {
      let value: unknown;
      try {
        const doc: unknown = parse(block);
        value = isPlainObject(doc) && key in doc ? doc[key] : FAILED;
      } catch {
        value = FAILED;
      }
      if (blockMemo.size > MEMO_LIMIT) blockMemo.clear();
      blockMemo.set(block, value);
    }
    const value = blockMemo.get(block);
    if (value === FAILED) return null;
    out[key] = value;
  }
  return out;
}

const FAILED = Symbol('unparsable');

/** Keys needed to describe a new entry: its id, and whether it was already run. */
const CREATED_KEYS = ['id', 'status', 'execution', 'artifacts'];

/**
 * Both versions of an entry file (either may be null: created / deleted),
 * parsed just enough to compare them with `compareEntries`.
 */
export function entryVersions(before: FileVersion | null, after: FileVersion | null): { before: Parsed | null; after: Parsed | null } {
  const full = () => ({
    before: before && snapshotFromSource(before.path, before.text),
    after: after && snapshotFromSource(after.path, after.text),
  });
  const a = before && !/\.org$/i.test(before.path) ? frontmatterBlocks(before.text) : null;
  const b = after && !/\.org$/i.test(after.path) ? frontmatterBlocks(after.text) : null;
  if ((before && !a) || (after && !b)) return full();
  let keys: Set<string>;
  if (a && b) {
    keys = new Set(['id']);
    for (const k of new Set([...a.keys.keys(), ...b.keys.keys()])) if (a.keys.get(k) !== b.keys.get(k)) keys.add(k);
    if (keys.has('status') || keys.has('execution')) keys.add('status').add('execution');
  } else keys = new Set(b ? CREATED_KEYS : ['id']);
  const da = a && parseBlocks(a, keys);
  const db = b && parseBlocks(b, keys);
  if ((a && !da) || (b && !db)) return full();
  const result = {
    before: before && snapshotFromData(before.path, da!, a!.body),
    after: after && snapshotFromData(after.path, db!, b!.body),
  };
  // A missing id is reported with the full parser's position.
  if ((result.before && isProblem(result.before)) || (result.after && isProblem(result.after))) return full();
  return result;
}
