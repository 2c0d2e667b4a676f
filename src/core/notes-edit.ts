/**
 * The cheapest rebuild of an edited entry: its frontmatter is byte for byte what
 * it was, and neither the old nor the new body has links or tags, so everything
 * the compiler knows about the entry stays as it was except its notes. Its
 * summary is carried over and its own JSON gets the new notes, without loading
 * the YAML parser, the schemas or the integrations' checks (most of what a fresh
 * `lab compile` would otherwise load to re-read one note).
 */
import { isDeepStrictEqual } from 'node:util';
import { sha256 } from './hash.ts';
import { findReferences } from './references.ts';
import { findBodyTags } from './source/body-tags.ts';
import { findAnchors } from './source/anchors.ts';
import { blankComments } from './source/obsidian-comments.ts';
import { decodeUtf8 } from './source/encoding.ts';
import { findFrontmatter } from './source/frontmatter-block.ts';
import type { SourceRecord, Summary } from './stages/summarize.ts';

/**
 * The new summary of an entry whose edit touched only its notes, or null when
 * the file must be parsed in full. `before` is its last summary, `ownJson` its
 * own JSON for that summary's hash, `bytes` and `hash` its new content.
 */
export function notesEdit(before: SourceRecord | undefined, ownJson: string | undefined, bytes: Uint8Array, hash: string): Summary | null {
  if (!before?.notes_only || !before.entry || ownJson === undefined) return null;
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return null;
  const block = findFrontmatter(decoded.text);
  if (!block || sha256(decoded.text.slice(0, block.bodyStart)) !== before.notes_only) return null;
  const body = decoded.text.slice(block.bodyStart);
  const shown = blankComments(body);
  if (findBodyTags(shown, 'md').length || findReferences(shown, 'md', 1).length) return null;
  // Headings added or gone can make links from other notes land or miss: those are checked on the full way.
  if (!isDeepStrictEqual(findAnchors(shown), before.anchors ?? [])) return null;
  const own = JSON.parse(ownJson) as { metadata: { notes: string } };
  own.metadata.notes = body.trim();
  return { record: { ...before, hash }, ownJson: JSON.stringify(own) };
}
