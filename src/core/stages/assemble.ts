/**
 * Stage 6a — assemble: the index as text. Entries go into one shard per notebook
 * (`.lab/index/<notebook folder>.json`, one entry per line); `.lab/index.json`
 * holds the notebooks, pages, tags, sessions and the list of shards. An entry's
 * JSON is its derived keys followed by its own fields' JSON as cached, so an
 * unchanged entry is never serialized again, and a shard whose inputs did not
 * change is not even assembled.
 */
import { createHash } from 'node:crypto';
import type { EntryDerived, Notebook, SessionSummary } from '../model.ts';
import type { Derived } from './derive.ts';
import type { LinkedEntry } from './link.ts';

/** Version of the `.lab/index.json` layout (2: entries in per-notebook shards). */
export const INDEX_VERSION = 2;

export interface Shard {
  notebook: Notebook;
  /** Path under `.lab/`: `index/<notebook folder>.json`. */
  file: string;
  entries: LinkedEntry[];
  /** Each entry's derived keys as a JSON object. */
  heads: string[];
  /** Hash of everything the shard's text is made of: equal signatures, equal bytes. */
  signature: string;
}

/** What `.lab/index.json` says about a shard. */
export interface ShardRef {
  notebook_id: string;
  path: string;
  entries: number;
}

function entryHead(e: LinkedEntry): string {
  const head: EntryDerived = { id: e.id, page_id: e.page_id, notebook_id: e.notebook_id, type: e.type, stale: e.stale, lineage: e.lineage };
  return JSON.stringify(head);
}

/** `{derived…}` + `{own…}` → one object: the derived keys first. */
function joinEntry(head: string, ownJson: string): string {
  return `${head.slice(0, -1)},${ownJson.slice(1)}`;
}

export function planShards(derived: Derived): Shard[] {
  const byNotebook = new Map<string, LinkedEntry[]>(derived.notebooks.map((n) => [n.id, []]));
  for (const e of derived.entries) byNotebook.get(e.notebook_id)!.push(e);
  return derived.notebooks.map((notebook) => {
    const entries = byNotebook.get(notebook.id)!;
    const heads = entries.map(entryHead);
    const h = createHash('sha1').update(`${INDEX_VERSION}\0${notebook.id}\n`);
    entries.forEach((e, i) => h.update(`${e.record.path}\0${e.record.hash}\0${heads[i]}\n`));
    return { notebook, file: `index/${notebook.slug}.json`, entries, heads, signature: h.digest('hex') };
  });
}

export function shardText(shard: Shard, ownJson: (e: LinkedEntry) => string): string {
  const lines = shard.entries.map((e, i) => joinEntry(shard.heads[i]!, ownJson(e)));
  const body = lines.length ? `\n${lines.join(',\n')}\n` : '';
  return `{"version":${INDEX_VERSION},"notebook_id":${JSON.stringify(shard.notebook.id)},"entries":[${body}]}\n`;
}

export function topText(derived: Derived, sessions: SessionSummary[], shards: Shard[]): string {
  const refs: ShardRef[] = shards.map((s) => ({ notebook_id: s.notebook.id, path: s.file, entries: s.entries.length }));
  return `${JSON.stringify({ version: INDEX_VERSION, notebooks: derived.notebooks, pages: derived.pages, tags: derived.tags, sessions, shards: refs })}\n`;
}
