/**
 * The quick rebuild: when the edited files are entries whose summaries did not
 * change (notes, results, parameters of an entry that has not run — anything
 * but ids, lineage, titles, tags, status, dates or positions), nothing derived
 * changes either: only those entries' own JSON. Their lines in the index shards
 * are then replaced in place, keeping each line's derived keys, and nothing is
 * linked, derived or rewritten beyond that. A title is the one fact that may
 * change too: it also names the entry's node in `.lab/lineage.json` (patched in
 * place), and wikilinks and embeds may resolve by title — so a title that some
 * wikilink or embed looks up, before or after the edit, takes the full way. Anything else does too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from './fs/atomic.ts';
import { titleKey } from './references.ts';
import type { SourceRecord } from './stages/summarize.ts';

/** An edited entry: its summary before and after, and its new own JSON. */
export interface EditedEntry {
  before: SourceRecord;
  after: SourceRecord;
  ownJson: string;
}

/**
 * How an entry's summary changed: `own` when only the content hashes differ
 * (only the entry's own fields changed), `title` when its title changed too,
 * null for anything else (or a file that is not a valid entry).
 */
export function quickChange(a: SourceRecord, b: SourceRecord): 'own' | 'title' | null {
  if (!a.entry || !b.entry) return null;
  // The hash and the header's hash say which bytes the summary is of, not what it says.
  const same = isDeepStrictEqual(
    { ...a, hash: '', notes_only: '', entry: { ...a.entry, title: '' } },
    { ...b, hash: '', notes_only: '', entry: { ...b.entry, title: '' } },
  );
  if (!same) return null;
  return a.entry.title === b.entry.title ? 'own' : 'title';
}

/**
 * Replaces the edited entries' lines in their shards, and the nodes of retitled
 * entries in the lineage graph. `titleKeys` are the titles wikilinks look up
 * (see titleKeysOf); null when unknown. Returns the `.lab`-relative files
 * written, or null (nothing written) when the quick way does not apply: a line
 * or node is not where it should be (a duplicate id, an output edited or
 * deleted by hand), or a title that a wikilink looks up changed. The caller
 * then rebuilds in full.
 */
export async function spliceOutputs(root: string, edits: EditedEntry[], titleKeys: () => ReadonlySet<string> | null): Promise<string[] | null> {
  const retitled = edits.filter((e) => e.before.entry!.title !== e.after.entry!.title);
  if (retitled.length) {
    const keys = titleKeys();
    if (!keys || retitled.some((e) => keys.has(titleKey(e.before.entry!.title)) || keys.has(titleKey(e.after.entry!.title)))) return null;
  }
  const byShard = new Map<string, EditedEntry[]>();
  for (const e of edits) {
    const file = `index/${e.after.path.split('/')[2]}.json`;
    byShard.set(file, [...(byShard.get(file) ?? []), e]);
  }
  // Shards and the lineage graph are tens of megabytes at 100,000 entries: they are edited as bytes, never decoded.
  const texts = new Map<string, Buffer>();
  const read = (file: string): Buffer | null => {
    try {
      return readFileSync(path.join(root, '.lab', file));
    } catch {
      return null;
    }
  };
  for (const [file, group] of byShard) {
    let bytes = read(file);
    for (const e of group) bytes = bytes && replaceLine(bytes, e.after.entry!.id, e.after.path, e.ownJson);
    if (!bytes) return null;
    texts.set(file, bytes);
  }
  if (retitled.length) {
    let bytes = read('lineage.json');
    for (const e of retitled) bytes = bytes && retitleNode(bytes, e.after.entry!.id, e.before.entry!.title, e.after.entry!.title);
    if (!bytes) return null;
    texts.set('lineage.json', bytes);
  }
  for (const [file, bytes] of texts) await writeFileAtomic(path.join(root, '.lab', file), bytes, { durable: false });
  return [...texts.keys()];
}

/** The title keys wikilinks and note embeds look up, over every summarized file (see LinkTable.resolve). */
export function titleKeysOf(records: Iterable<SourceRecord>): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const ref of r.refs ?? []) if (ref.kind === 'wikilink' || ref.kind === 'embed') keys.add(titleKey(ref.target));
  return [...keys].sort();
}

/**
 * A shard line is `{<derived keys>,<own keys>}` (see assemble.ts), and the own
 * keys start with `"slug":`. Quotes inside JSON strings are escaped, so the first
 * `,"slug":` is the boundary, and the `"source":{"path":` of the own keys names
 * the file the line came from. The texts were written as UTF-8 from
 * JSON.stringify, so the same strings encoded are the same bytes.
 */
function replaceLine(text: Buffer, id: string, rel: string, ownJson: string): Buffer | null {
  const start = text.indexOf(`\n{"id":${JSON.stringify(id)},`);
  if (start < 0) return null;
  const end = text.indexOf(0x0a, start + 1);
  const line = text.subarray(start + 1, text[end - 1] === 0x2c ? end - 1 : end);
  const cut = line.indexOf(',"slug":');
  if (cut < 0 || !line.includes(`"source":{"path":${JSON.stringify(rel)},`)) return null;
  return Buffer.concat([text.subarray(0, start + 1 + cut), Buffer.from(`,${ownJson.slice(1)}`), text.subarray(start + 1 + line.length)]);
}

/**
 * A lineage node is `{"id":…,"title":…,"page_id":…}` (see derive.ts); only nodes
 * start with `{"id":`, and ids are unique among them.
 */
function retitleNode(text: Buffer, id: string, before: string, after: string): Buffer | null {
  const head = `{"id":${JSON.stringify(id)},"title":`;
  const old = Buffer.from(`${head}${JSON.stringify(before)},"page_id":`);
  const at = text.indexOf(old);
  if (at < 0) return null;
  return Buffer.concat([text.subarray(0, at), Buffer.from(`${head}${JSON.stringify(after)},"page_id":`), text.subarray(at + old.length)]);
}
