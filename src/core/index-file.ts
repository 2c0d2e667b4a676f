/**
 * Reading `.lab/index.json` and its shards back into one JournalIndex: the one
 * reader for everything that consumes the compiler's output from disk.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from './diagnostics.ts';
import type { Entry, JournalIndex } from './model.ts';
import { INDEX_VERSION, type ShardRef } from './stages/assemble.ts';

type TopLevel = Omit<JournalIndex, 'entries'> & { shards: ShardRef[] };

/**
 * The index of the workspace at `root`, as last compiled. `parsed` (shard file →
 * entries) lets a long-lived process skip shards it parsed before; the compiler
 * drops a shard from it whenever it writes that shard.
 */
export function readIndex(root: string, parsed?: Map<string, Entry[]>): JournalIndex {
  const lab = path.join(root, '.lab');
  return indexFromTexts(
    readFileSync(path.join(lab, 'index.json'), 'utf8'),
    (file) => readFileSync(path.join(lab, file), 'utf8'),
    (ref, text) => {
      const hit = parsed?.get(ref.path);
      if (hit) return hit;
      const entries = (JSON.parse(text()) as { entries: Entry[] }).entries;
      parsed?.set(ref.path, entries);
      return entries;
    },
  );
}

/**
 * Builds the index from the top-level text and a reader for shard texts (by
 * `.lab`-relative path). `parseShard` lets a long-lived process reuse shards it
 * has already parsed.
 */
export function indexFromTexts(
  top: string,
  shardText: (file: string) => string,
  parseShard: (ref: ShardRef, text: () => string) => Entry[] = (ref, text) => (JSON.parse(text()) as { entries: Entry[] }).entries,
): JournalIndex {
  const data = JSON.parse(top) as TopLevel;
  if (data.version !== INDEX_VERSION) {
    throw new LabError(`.lab/index.json is from another version of lab (layout ${data.version}, expected ${INDEX_VERSION}); run \`lab compile\``);
  }
  const entries: Entry[] = [];
  for (const ref of data.shards) {
    for (const e of parseShard(ref, () => shardText(ref.path))) entries.push(e);
  }
  return { version: INDEX_VERSION, notebooks: data.notebooks, pages: data.pages, entries, tags: data.tags, sessions: data.sessions };
}
