/**
 * Every example `.eln` from other ELNs (../shared/fixtures/eln) imports with
 * `lab check` clean, and importing it again creates nothing new.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { importFile } from '../../src/exchange/import.ts';
import { ELN_FIXTURES, emptyJournal, listFiles, removeScratch } from './helpers.ts';

afterAll(removeScratch);

const fixtures = fs
  .readdirSync(ELN_FIXTURES)
  .filter((f) => f.endsWith('.eln'))
  .sort();

describe("importing other ELNs' .eln files", () => {
  it('finds the shared fixtures', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'benchlineage-demo.eln',
        'elabftw-export.eln',
        'kadi4mat-collections-example.eln',
        'kadi4mat-records-example.eln',
        'pasta.eln',
        'sampledb-export.eln',
      ]),
    );
  });

  for (const name of fixtures) {
    it(`${name}: imports cleanly, twice (nothing new the second time)`, async () => {
      const root = emptyJournal();
      const first = await importFile(root, path.join(ELN_FIXTURES, name));
      expect(first.failed).toEqual([]);
      expect(first.entries.length).toBeGreaterThan(0);
      const { diagnostics } = await compile(root);
      expect(diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}`)).toEqual([]);
      const before = listFiles(path.join(root, 'content'));
      const second = await importFile(root, path.join(ELN_FIXTURES, name));
      expect(second.entries).toEqual([]);
      expect(second.pages.every((p) => !p.created)).toBe(true);
      expect(second.notebook?.created).toBe(false);
      expect(second.skipped.filter((s) => s.reason.startsWith('already imported'))).toHaveLength(first.entries.length);
      expect(listFiles(path.join(root, 'content'))).toEqual(before);
    });
  }

  it('eLabFTW: HTML becomes Markdown, keywords tags, rating, steps, comments and links kept; `//` zip paths resolve', async () => {
    const root = emptyJournal();
    const r = await importFile(root, path.join(ELN_FIXTURES, 'elabftw-export.eln'));
    const { index } = await compile(root);
    const gold = index.entries.find((e) => e.title === 'Gold master experiment')!;
    expect(gold.metadata.tags).toContain('tag with space');
    expect(gold.metadata.rating).toBe(4);
    expect(gold.metadata.notes).toContain('The **goal** of this *experiment*');
    expect(gold.metadata.notes).toMatch(/\| Something \| in H2 +\|/);
    expect(gold.metadata.notes).toContain('- [x] a step');
    expect(gold.metadata.notes).toContain('> **Nicola Mohr** (2025-09-16T10:32:54+02:00):');
    expect(gold.metadata.notes).toMatch(/Related: entry-[0-9a-f]{12}/);
    expect(gold.artifacts).toEqual([
      expect.objectContaining({
        name: 'example.jpg',
        type: 'image/jpeg',
        size_bytes: 85530,
        hash: 'sha256:b73626c9a9ed8561ed6126df2493bc0d84fb8feedc9fe34aed94f7d2d5f4f60f',
      }),
    ]);
    expect(gold.outputs['Number with units [mM]']).toBe('12');
    expect(gold.outputs.elabftw_metadata).toBeUndefined();
    expect(r.entries).toHaveLength(12);
  });

  it('BenchLineage: runs (CreateActions) become entries, analyses derive from the run that made their input', async () => {
    const root = emptyJournal();
    await importFile(root, path.join(ELN_FIXTURES, 'benchlineage-demo.eln'));
    const { index, lineage } = await compile(root);
    const run = index.entries.find((e) => e.title === 'Experimental run rc-swap-002')!;
    const analysis = index.entries.find((e) => e.title === 'BenchLineage analysis for rc-swap-002')!;
    expect(analysis.lineage.parent_id).toBe(run.id);
    expect(run.artifacts.map((a) => a.name)).toEqual(['rc-resistor-swap.csv']);
    expect(run.execution?.started_at).toBeDefined();
    expect(lineage.edges).toContainEqual({ from: run.id, to: analysis.id, kind: 'derives_from' });
  });

  it('Kadi4Mat files without sha256, PASTA nested datasets and naive timestamps, SampleDB comments by parentItem', async () => {
    const root = emptyJournal();
    await importFile(root, path.join(ELN_FIXTURES, 'kadi4mat-collections-example.eln'));
    await importFile(root, path.join(ELN_FIXTURES, 'pasta.eln'));
    await importFile(root, path.join(ELN_FIXTURES, 'sampledb-export.eln'));
    const { index } = await compile(root);
    const instrument = index.entries.find((e) => e.title === 'Instrument used in experiment')!;
    expect(instrument.artifacts.map((a) => a.name)).toContain('Product-flyer_GeminiSEM_360.pdf');
    const subtask = index.entries.find((e) => e.title.endsWith('› This is an example subtask'))!;
    expect(subtask.created).toMatch(/^2025-09-30T13:59:35\.\d+$/);
    const pastaPage = index.pages.find((p) => p.id === subtask.page_id)!;
    expect(pastaPage.title).toBe('PASTAs Example Project');
    const ombe = index.entries.find((e) => e.title.startsWith('OMBE-1') && e.metadata.notes.includes('## Comments'))!;
    expect(ombe.metadata.notes).toContain('This is another, shorter comment');
  });
});
