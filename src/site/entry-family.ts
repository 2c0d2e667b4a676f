/**
 * The entries an entry's page shows around it: its parent (a variation's original first), the
 * parent's other children (siblings), its own children and variations, and its ancestors. One
 * function, so the page (src/site/routes/entries/[id].astro) and its cache key
 * (src/site/cache-keys.ts) always agree on which neighbours the page reads.
 */
import type { SiteEntry } from './types.ts';

export interface EntryFamily {
  parent: SiteEntry | undefined;
  /** The parent's other children and variations, in the parent's order. */
  siblings: SiteEntry[];
  /** Children and variations of the entry. */
  children: SiteEntry[];
  /** Oldest first, ending with the parent; at most 50 generations. */
  ancestors: SiteEntry[];
}

/** The family of `entry`; `lookup` resolves an id to an entry of the journal. */
export function entryFamily(entry: SiteEntry, lookup: (id: string) => SiteEntry | undefined): EntryFamily {
  const find = (id: string | null) => (id ? lookup(id) : undefined);
  const parentOf = (e: SiteEntry) => find(e.lineage.variation_of) ?? find(e.lineage.parent_id);
  const parent = parentOf(entry);
  const siblings = parent
    ? [...new Set([...parent.lineage.variation_ids, ...parent.lineage.children_ids])]
        .filter((id) => id !== entry.id)
        .map(lookup)
        .filter((e) => !!e)
    : [];
  const children = [...new Set([...entry.lineage.children_ids, ...entry.lineage.variation_ids])].map(lookup).filter((e) => !!e);
  const ancestors: SiteEntry[] = [];
  for (let at = parent, guard = 0; at && guard < 50; guard++) {
    ancestors.unshift(at);
    at = parentOf(at);
  }
  return { parent, siblings, children, ancestors };
}
