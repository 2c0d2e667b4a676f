/**
 * Which blobs the journal still uses: every artifact that holds bytes, every log,
 * and any blob hash written in notes, narratives and overviews (a note may link a
 * blob by its address). Archiving and restoring delete only blobs outside this set.
 */
import type { JournalIndex } from '../core/model.ts';

const HEX = /\b[0-9a-f]{64}\b/g;

/** Blob hex digests named in the journal's prose. */
export function textReferences(index: JournalIndex): Set<string> {
  const found = new Set<string>();
  const scan = (text: string | null | undefined) => {
    for (const m of (text ?? '').matchAll(HEX)) found.add(m[0]);
  };
  for (const e of index.entries) scan(e.metadata.notes);
  for (const p of index.pages) for (const v of Object.values(p.narrative)) scan(v);
  for (const n of index.notebooks) scan(n.overview);
  return found;
}

/** Every blob hex digest in use, prose included. */
export function usedBlobs(index: JournalIndex): Set<string> {
  const used = textReferences(index);
  for (const e of index.entries) {
    for (const a of e.artifacts) if (a.archived?.strategy !== 'drop') used.add(a.hash.slice(7));
    for (const l of Object.values(e.logs)) if (l) used.add(l.slice(7));
  }
  return used;
}
