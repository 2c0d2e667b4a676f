/**
 * The quick rebuild: when the edited files are entries whose summaries did not
 * change (notes, results, parameters of an entry that has not run — anything
 * but ids, lineage, titles, tags, status, dates or positions), nothing derived
 * changes either: only those entries' own JSON. Their lines in the index shards
 * are then replaced in place, keeping each line's derived keys, and nothing is
 * linked, derived or rewritten beyond that. Anything else goes the full way.
 * The spliced shard's recorded signature (which covers content hashes) is left
 * as it was, so the next full rebuild writes that shard once more.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from './fs/atomic.ts';
import type { SourceRecord } from './stages/summarize.ts';

/** An edited entry: its summary before and after, and its new own JSON. */
export interface EditedEntry {
  before: SourceRecord;
  after: SourceRecord;
  ownJson: string;
}

/** True when the summaries differ only in the content hash. */
export function sameFacts(a: SourceRecord, b: SourceRecord): boolean {
  return isDeepStrictEqual({ ...a, hash: '' }, { ...b, hash: '' });
}

/**
 * Replaces the edited entries' lines in their shards. Returns the shards
 * written, or null (nothing written) when a line is not where it should be (a
 * duplicate id, a shard edited by hand): the caller then rebuilds in full.
 */
export async function spliceShards(root: string, edits: EditedEntry[]): Promise<string[] | null> {
  const byShard = new Map<string, EditedEntry[]>();
  for (const e of edits) {
    const file = `index/${e.after.path.split('/')[2]}.json`;
    byShard.set(file, [...(byShard.get(file) ?? []), e]);
  }
  const texts = new Map<string, string>();
  for (const [file, group] of byShard) {
    let text: string;
    try {
      text = readFileSync(path.join(root, '.lab', file), 'utf8');
    } catch {
      return null;
    }
    for (const e of group) {
      const next = replaceLine(text, e.after.entry!.id, e.after.path, e.ownJson);
      if (next === null) return null;
      text = next;
    }
    texts.set(file, text);
  }
  for (const [file, text] of texts) await writeFileAtomic(path.join(root, '.lab', file), text, { durable: false });
  return [...texts.keys()];
}

/**
 * A shard line is `{<derived keys>,<own keys>}` (see assemble.ts), and the own
 * keys start with `"slug":`. Quotes inside JSON strings are escaped, so the first
 * `,"slug":` is the boundary, and the `"source":{"path":` of the own keys names
 * the file the line came from.
 */
function replaceLine(text: string, id: string, rel: string, ownJson: string): string | null {
  const start = text.indexOf(`\n{"id":${JSON.stringify(id)},`);
  if (start < 0) return null;
  const end = text.indexOf('\n', start + 1);
  const line = text.slice(start + 1, text[end - 1] === ',' ? end - 1 : end);
  const cut = line.indexOf(',"slug":');
  if (cut < 0 || !line.includes(`"source":{"path":${JSON.stringify(rel)},`)) return null;
  return `${text.slice(0, start + 1)}${line.slice(0, cut)},${ownJson.slice(1)}${text.slice(start + 1 + line.length)}`;
}
