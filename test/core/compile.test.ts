import { readdirSync, readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { readIndex } from '../../src/core/index-file.ts';
import { compile, compileSources } from '../../src/sdk/journal.ts';
import { copyFixture, expectFile, FIXTURES } from './helpers.ts';

describe('compiler fixtures (content → expected/)', () => {
  for (const name of readdirSync(FIXTURES)) {
    it(name, async () => {
      const dir = copyFixture(name);
      const result = await compile(dir);
      const expected = path.join(FIXTURES, name, 'expected');
      await expectFile(path.join(expected, 'diagnostics.txt'), result.diagnostics.map(formatDiagnostic).join('\n') + '\n');
      // The index as its one reader assembles it from index.json and the shards.
      await expectFile(path.join(expected, 'index.json'), JSON.stringify(readIndex(dir), null, 1) + '\n');
      const lineage = JSON.parse(readFileSync(path.join(dir, '.lab', 'lineage.json'), 'utf8'));
      await expectFile(path.join(expected, 'lineage.json'), JSON.stringify(lineage, null, 1) + '\n');
    });
  }
});

describe('compiler behaviour', () => {
  it('emits the same bytes for the same content, from any copy', async () => {
    const a = copyFixture('valid-basic');
    const b = copyFixture('valid-basic');
    await compile(a);
    await compile(b, { cache: false });
    for (const f of ['index.json', 'lineage.json']) {
      expect(readFileSync(path.join(a, '.lab', f), 'utf8')).toBe(readFileSync(path.join(b, '.lab', f), 'utf8'));
    }
  });

  it('re-parses only the edited file on rebuild', async () => {
    const dir = copyFixture('valid-basic');
    const first = await compile(dir);
    expect(first.stats.parsed).toBe(first.stats.parsed + first.stats.reused);
    const again = await compile(dir);
    expect(again.stats.parsed).toBe(0);
    const file = path.join(dir, 'content/notebooks/nb/page-a/entries/002-lower-lr.md');
    await writeFile(file, readFileSync(file, 'utf8').replace('Converged at epoch 7.', 'Converged at epoch 6.'));
    const edited = await compile(dir);
    expect(edited.stats.parsed).toBe(1);
    expect(edited.index.entries.find((e) => e.id === 'entry-bbbbbbbbbbbb')!.metadata.notes).toBe('Converged at epoch 6.');
    // A touch without a content change is recognised by hash and not re-parsed.
    const now = new Date();
    await utimes(file, now, now);
    expect((await compile(dir)).stats.parsed).toBe(0);
  });

  it('reads page narratives by section, keeping other sections and code blocks', async () => {
    const r = await compile(copyFixture('valid-basic'));
    const page = r.index.pages[0]!;
    expect(page.narrative.goals).toBe('Find a learning rate that converges in under 10 epochs.');
    expect(page.narrative.hypothesis).toContain('## Not a heading (inside code)');
    expect(page.narrative.next_steps).toBe('Try warmup.');
    expect(page.narrative.conclusions).toBeNull();
    expect(page.narrative.other).toContain('Intro text before any section.');
    expect(page.narrative.other).toContain('## Appendix');
  });

  it('reads Org entries (keywords and a properties drawer) like Markdown ones', async () => {
    const r = await compile(copyFixture('valid-basic'));
    const org = r.index.entries.find((e) => e.id === 'entry-cccccccccccc')!;
    expect(org.title).toBe('Warmup: 5 epochs, 日本語 notes');
    expect(org.metadata.tags).toEqual(['warmup', 'followup']);
    expect(org.metadata.rating).toBe(4);
    expect(org.lineage.parent_id).toBe('entry-bbbbbbbbbbbb');
    expect(org.source.format).toBe('org');
    expect(org.metadata.notes).toContain('* Notes');
  });

  it('links lineage both ways and defaults the type from notebook settings', async () => {
    const r = await compile(copyFixture('valid-basic'));
    const base = r.index.entries.find((e) => e.id === 'entry-aaaaaaaaaaaa')!;
    expect(base.lineage.children_ids).toEqual(['entry-bbbbbbbbbbbb']);
    expect(base.lineage.variation_ids).toEqual(['entry-bbbbbbbbbbbb']);
    expect(r.lineage.edges).toContainEqual({ from: 'entry-aaaaaaaaaaaa', to: 'entry-bbbbbbbbbbbb', kind: 'variation_of' });
    expect(r.lineage.edges).toContainEqual({ from: 'entry-bbbbbbbbbbbb', to: 'entry-cccccccccccc', kind: 'derives_from' });
    expect(base.input_files).toEqual(['content/notebooks/nb/page-a/entries/train.py']);
  });

  it('compiles an in-memory tree the same as the same files on disk', async () => {
    const dir = copyFixture('valid-basic');
    const disk = await compile(dir, { cache: false, write: false });
    const files = (await import('fast-glob')).default.sync('content/**', { cwd: dir }).map((p) => ({ path: p, text: readFileSync(path.join(dir, p), 'utf8') }));
    const mem = await compileSources(files);
    expect(mem.index).toEqual(disk.index);
    expect(mem.diagnostics).toEqual(disk.diagnostics);
  });
});
