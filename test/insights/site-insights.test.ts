/** The site's Insights section data: the analysis over site entries, sweeps grouped with the keys they changed, ids linked. */
import { describe, expect, it } from 'vitest';
import { insightsFor, linkIds, sweepsOf } from '../../src/site/insights.ts';
import type { SiteEntry } from '../../src/site/types.ts';
import { plantedEntries } from './planted-journal.ts';

const site = (e: ReturnType<typeof plantedEntries>[number]): SiteEntry => ({
  ...e,
  notes_ref: null,
  excerpt: '',
  site_artifacts: [],
  cover: null,
  site_logs: [],
  run_note: null,
  site_query: null,
});

describe('site insights', () => {
  it('groups a sweep by its tag, with the keys the points changed from their original', () => {
    const [base, ...rest] = plantedEntries({ seed: 2, entries: 4 }).map(site);
    const points = rest.map((e, i) => ({
      ...e,
      lineage: { ...e.lineage, variation_of: base!.id, parent_id: base!.id },
      inputs: { ...base!.inputs, parameters: { ...(base!.inputs.parameters as object), cfg: 3 + i } },
      metadata: { ...e.metadata, tags: ['sweep-abc123'] },
    }));
    const byId = new Map([base, ...points].map((e) => [e!.id, e]));
    const sweeps = sweepsOf([base!, ...points], (id) => byId.get(id));
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.id).toBe('sweep-abc123');
    expect(sweeps[0]!.keys).toEqual(['cfg']);
    expect(sweeps[0]!.points.map((p) => p.values.cfg)).toEqual(['3', '4', '5']);
  });

  it('links only known entry ids', () => {
    expect(linkIds('best entry-a1 (0.9), not entry-zz.', new Set(['entry-a1']))).toEqual([
      { text: 'best ', id: null },
      { text: 'entry-a1', id: 'entry-a1' },
      { text: ' (0.9), not entry-zz.', id: null },
    ]);
  });

  it('gives the same report as lab insights, and nothing for pages without numbers', async () => {
    const entries = plantedEntries({ seed: 7 }).map(site);
    const view = await insightsFor({ kind: 'page', id: 'page-planted', title: 'Planted' }, entries, entries);
    expect(view!.effects[0]).toMatchObject({ metric: 'accuracy', parameter: 'cfg', significant: true });
    expect(view!.effects.every((e) => e.rank === 1 || e.significant)).toBe(true);
    const bare = entries.map((e) => ({ ...e, metrics: {} }));
    expect(await insightsFor({ kind: 'page', id: 'p', title: 'P' }, bare, bare)).toBeNull();
  });
});
