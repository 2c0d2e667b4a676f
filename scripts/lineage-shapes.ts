/**
 * Synthetic lineage of one big page, for `npm run bench:lineage` and test/site/bigpage.test.ts:
 * only the fields the lineage graph reads are filled in. Shapes:
 * - `generated`: as scripts/generate-journal.ts draws it (60 % of entries derive from one of the
 *   10 before, 30 % are a variation of the one before): a few deep, bushy families;
 * - `sweeps`: a baseline with parameter sweeps of 40 variations each;
 * - `chain`: each entry derives from the one before;
 * - `loose`: no lineage at all.
 */
import type { SiteEntry } from '../src/site/types.ts';
import { prng } from './prng.ts';

export type LineageShape = 'generated' | 'sweeps' | 'chain' | 'loose';

export function syntheticPage(n: number, shape: LineageShape, seed = 42): SiteEntry[] {
  const rand = prng(seed);
  const entries = Array.from({ length: n }, (_, i) => {
    const id = `entry-${i.toString(16).padStart(12, '0')}`;
    let parent: number | null = null;
    let variation: number | null = null;
    if (shape === 'generated') {
      if (i > 0 && rand() < 0.6) parent = Math.max(0, i - 1 - Math.floor(rand() * 10));
      if (i > 0 && rand() < 0.3) variation = i - 1;
    } else if (shape === 'sweeps') parent = i === 0 ? null : i % 41 === 1 ? 0 : i - ((i - 1) % 41);
    else if (shape === 'chain') parent = i > 0 ? i - 1 : null;
    return { id, i, parent, variation };
  });
  const idOf = (i: number | null) => (i === null ? null : entries[i]!.id);
  const children = new Map<string, string[]>();
  const variations = new Map<string, string[]>();
  for (const e of entries) {
    if (e.parent !== null) children.set(idOf(e.parent)!, [...(children.get(idOf(e.parent)!) ?? []), e.id]);
    if (e.variation !== null) variations.set(idOf(e.variation)!, [...(variations.get(idOf(e.variation)!) ?? []), e.id]);
  }
  return entries.map(
    (e) =>
      ({
        id: e.id,
        title: `Run ${e.i}: cfg ${(e.i % 13) + 1}, seed ${e.i * 7919}`,
        type: 'command',
        status: 'completed',
        cover: null,
        page_id: 'page-big',
        created: `2024-01-01T00:00:${String(e.i % 60).padStart(2, '0')}Z`,
        lineage: {
          parent_id: idOf(e.parent),
          variation_of: idOf(e.variation),
          children_ids: children.get(e.id) ?? [],
          variation_ids: variations.get(e.id) ?? [],
        },
      }) as unknown as SiteEntry,
  );
}
