import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveJournal } from '../../src/archive/archive.ts';
import { restoreEntry } from '../../src/archive/restore.ts';
import { compile } from '../../src/core/compile.ts';
import { entryFile, makeJournal, noisePng, PAGE, removeJournals } from './helpers.ts';

afterAll(removeJournals);

const NOW = new Date('2025-06-01T00:00:00Z');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Old image-heavy entries, one shared blob, one rated 5, one the parent of a recent entry. */
async function journal(config = '') {
  const j = await makeJournal({ config });
  const a = await noisePng(600, 400, 1);
  const b = await noisePng(500, 500, 2);
  const shared = await noisePng(300, 300, 3);
  const csv = Buffer.from('x,y\n1,2\n');
  const art = {
    a: j.blob('sunset-1.png', a, 'image/png', { width: 600, height: 400 }),
    b: j.blob('sunset-2.png', b, 'image/png', { width: 500, height: 500 }),
    shared: j.blob('shared.png', shared, 'image/png', { width: 300, height: 300 }),
    csv: j.blob('rows.csv', csv, 'text/csv'),
  };
  const run = (date: string) => ({ started_at: date, completed_at: date });
  j.write(
    `${PAGE}/entries/001-old.md`,
    entryFile({
      id: 'entry-old',
      title: 'Old render',
      type: 'manual',
      created: '2024-01-01T10:00:00Z',
      status: 'completed',
      execution: run('2024-01-01T10:00:00Z'),
      artifacts: [art.a, art.csv],
    }),
  );
  j.write(
    `${PAGE}/entries/002-old-shared.md`,
    entryFile({
      id: 'entry-old-shared',
      title: 'Old, shares a blob',
      type: 'manual',
      status: 'completed',
      execution: run('2024-01-02T10:00:00Z'),
      artifacts: [art.b, art.shared],
    }),
  );
  j.write(
    `${PAGE}/entries/003-recent.md`,
    entryFile({ id: 'entry-recent', title: 'Recent', type: 'manual', status: 'completed', execution: run('2025-05-20T10:00:00Z'), artifacts: [art.shared] }),
  );
  j.write(
    `${PAGE}/entries/004-best.md`,
    entryFile({
      id: 'entry-best',
      title: 'Best one',
      type: 'manual',
      rating: 5,
      status: 'completed',
      execution: run('2024-01-03T10:00:00Z'),
      artifacts: [j.blob('best.png', await noisePng(200, 200, 4), 'image/png')],
    }),
  );
  j.write(
    `${PAGE}/entries/005-ancestor.md`,
    entryFile({
      id: 'entry-ancestor',
      title: 'Ancestor',
      type: 'manual',
      status: 'completed',
      execution: run('2024-01-04T10:00:00Z'),
      artifacts: [j.blob('anc.png', await noisePng(200, 200, 5), 'image/png')],
    }),
  );
  j.write(
    `${PAGE}/entries/006-child.md`,
    entryFile({ id: 'entry-child', title: 'Child', type: 'manual', parent: 'entry-ancestor', status: 'completed', execution: run('2025-05-25T10:00:00Z') }),
  );
  const head = await j.commit('journal');
  return { j, head, bytes: { a, b, shared, csv }, art };
}

describe('lab archive', () => {
  it('dry run tells what would be freed where and changes nothing', async () => {
    const { j } = await journal();
    const before = j.blobFiles();
    const texts = fs.readFileSync(path.join(j.dir, PAGE, 'entries/001-old.md'), 'utf8');
    const r = await archiveJournal(j.dir, { olderThanDays: 90, dryRun: true, now: NOW });
    expect(r.archived.map((a) => `${a.entry}/${a.artifact}`).sort()).toEqual(['entry-old-shared/sunset-2.png', 'entry-old/sunset-1.png']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [`${s.entry}${s.artifact ? `/${s.artifact}` : ''}`, s.reason]));
    expect(reasons['entry-old-shared/shared.png']).toMatch(/still used by entry-recent/);
    expect(reasons['entry-best']).toMatch(/rated 5/);
    expect(reasons['entry-ancestor']).toMatch(/entry-child/);
    expect(reasons['entry-old/rows.csv']).toMatch(/raster images only/);
    expect(r.freed.working_tree).toBeGreaterThan(1_000_000);
    expect(r.freed.site).toBe(r.freed.working_tree);
    expect(r.freed.shallow_clone).toBeGreaterThan(0);
    expect(r.freed.full_clone).toBe(0);
    expect(r.history.paths).toHaveLength(2);
    expect(r.history.commands.join('\n')).toMatch(/filter-repo/);
    expect(j.blobFiles()).toEqual(before);
    expect(fs.readFileSync(path.join(j.dir, PAGE, 'entries/001-old.md'), 'utf8')).toBe(texts);
  });

  it('archives, keeps records, is idempotent, passes lab check, and restores byte-exact', async () => {
    const { j, head, bytes, art } = await journal();
    const dry = await archiveJournal(j.dir, { olderThanDays: 90, dryRun: true, now: NOW });
    const r = await archiveJournal(j.dir, { olderThanDays: 90, now: NOW });
    expect(r.freed).toEqual(dry.freed);
    const files = j.blobFiles();
    expect(files.some((f) => f.includes(sha(bytes.a)))).toBe(false);
    expect(files.some((f) => f.includes(sha(bytes.shared)))).toBe(true);
    expect(files.some((f) => f.includes(sha(bytes.csv)))).toBe(true);
    const text = j.read(`${PAGE}/entries/001-old.md`);
    expect(text).toContain(`original_hash: ${art.a.hash}`);
    expect(text).toContain('strategy: thumbnail');
    expect(text).toContain(`commit: ${head}`);
    expect(text).toContain('type: image/webp');
    expect(text).toMatch(/\n\nNotes\.\n$/);
    const { diagnostics } = await compile(j.dir);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    const again = await archiveJournal(j.dir, { olderThanDays: 90, now: NOW });
    expect(again.archived).toEqual([]);
    expect(j.blobFiles()).toEqual(files);

    const restored = await restoreEntry(j.dir, 'entry-old');
    expect(restored.restored).toHaveLength(1);
    expect(restored.removed_paths).toHaveLength(1); // the thumbnail nothing uses any more
    const back = fs.readFileSync(path.join(j.dir, 'content/blobs', sha(bytes.a).slice(0, 2), `${sha(bytes.a)}.png`));
    expect(back.equals(bytes.a)).toBe(true);
    expect(j.read(`${PAGE}/entries/001-old.md`)).not.toContain('archived');
  });

  it('drop keeps the record and lab check knows the blob is archived, not missing', async () => {
    const { j, bytes } = await journal();
    const r = await archiveJournal(j.dir, { olderThanDays: 90, strategy: 'drop', now: NOW });
    expect(r.archived.map((a) => a.artifact).sort()).toEqual(['rows.csv', 'sunset-1.png', 'sunset-2.png']);
    const { diagnostics } = await compile(j.dir);
    expect(diagnostics.filter((d) => d.rule === 'missing-blob')).toEqual([]);
    await j.commit('archive');
    const restored = await restoreEntry(j.dir, 'entry-old');
    expect(restored.restored.map((a) => a.from).every((f) => f.startsWith('commit '))).toBe(true);
    const back = fs.readFileSync(path.join(j.dir, 'content/blobs', sha(bytes.csv).slice(0, 2), `${sha(bytes.csv)}.csv`));
    expect(back.equals(bytes.csv)).toBe(true);
  });

  it('compress stores zstd and restores the original', async () => {
    const { j, bytes } = await journal();
    const big = Buffer.from('step,loss\n' + Array.from({ length: 5000 }, (_, i) => `${i},${(1 / (i + 1)).toFixed(6)}`).join('\n'));
    const art = j.blob('loss.csv', big, 'text/csv');
    j.write(
      `${PAGE}/entries/007-log.md`,
      entryFile({ id: 'entry-log', title: 'Loss', type: 'manual', status: 'completed', created: '2024-01-01', artifacts: [art] }),
    );
    await j.commit('log');
    const r = await archiveJournal(j.dir, { olderThanDays: 90, strategy: 'compress', notebook: 'nb-renders', now: NOW });
    const log = r.archived.find((a) => a.entry === 'entry-log')!;
    expect(log.new_size_bytes).toBeLessThan(big.byteLength / 3);
    expect(j.read(`${PAGE}/entries/007-log.md`)).toContain('type: application/zstd');
    await restoreEntry(j.dir, 'entry-log');
    expect(fs.readFileSync(path.join(j.dir, 'content/blobs', sha(big).slice(0, 2), `${sha(big)}.csv`)).equals(big)).toBe(true);
    void bytes;
  });

  it('never archives a blob HEAD has not committed (it would be the only copy)', async () => {
    const { j } = await journal();
    const png = await noisePng(400, 400, 9);
    j.write(
      `${PAGE}/entries/008-uncommitted.md`,
      entryFile({ id: 'entry-new-file', title: 'Not committed', type: 'manual', created: '2024-01-01', artifacts: [j.blob('fresh.png', png, 'image/png')] }),
    );
    const r = await archiveJournal(j.dir, { olderThanDays: 90, now: NOW });
    expect(r.skipped.find((s) => s.entry === 'entry-new-file')?.reason).toMatch(/not committed/);
    expect(j.blobFiles().some((f) => f.includes(sha(png)))).toBe(true);
  });

  it('without an age (no --older-than, no auto_archive_days) archives nothing', async () => {
    const { j } = await journal();
    const r = await archiveJournal(j.dir, { now: NOW });
    expect(r.archived).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/no age given/);
  });

  it('notebook settings give the age and strategy; the entry key beats them', async () => {
    const j = await makeJournal({ notebookSettings: { auto_archive_days: 30, archive_strategy: 'drop' } });
    const png = await noisePng(300, 300, 11);
    j.write(
      `${PAGE}/entries/001-a.md`,
      entryFile({ id: 'entry-a', title: 'A', type: 'manual', created: '2024-01-01', artifacts: [j.blob('a.png', png, 'image/png')] }),
    );
    j.write(
      `${PAGE}/entries/002-b.md`,
      entryFile({
        id: 'entry-b',
        title: 'B',
        type: 'manual',
        archive: 'thumbnail',
        created: '2024-01-01',
        artifacts: [j.blob('b.png', await noisePng(300, 300, 12), 'image/png')],
      }),
    );
    j.write(
      `${PAGE}/entries/003-c.md`,
      entryFile({
        id: 'entry-c',
        title: 'C',
        type: 'manual',
        archive: 'keep',
        created: '2024-01-01',
        artifacts: [j.blob('c.png', await noisePng(300, 300, 13), 'image/png')],
      }),
    );
    await j.commit('three');
    const r = await archiveJournal(j.dir, { now: NOW });
    expect(Object.fromEntries(r.archived.map((a) => [a.entry, a.strategy]))).toEqual({ 'entry-a': 'drop', 'entry-b': 'thumbnail' });
    expect(r.skipped.find((s) => s.entry === 'entry-c')?.reason).toMatch(/archive: keep/);
  });
});

describe('lab diff and archived artifacts', () => {
  it('says "archived" with the original hash, not "removed"; and "restored" afterwards', async () => {
    const { diffJournal } = await import('../../src/git/diff/run.ts');
    const { renderText } = await import('../../src/git/diff/render-text.ts');
    const { renderMarkdown } = await import('../../src/git/diff/render-markdown.ts');
    const { j, art } = await journal();
    const base = await j.commit('nothing new');
    await archiveJournal(j.dir, { olderThanDays: 90, now: NOW });
    const archivedAt = await j.commit('archive old renders');
    const { diff } = await diffJournal(j.dir, `${base}..${archivedAt}`);
    const old = diff.entries.find((e) => e.id === 'entry-old')!;
    expect(old.artifacts.removed).toEqual([]);
    expect(old.artifacts.added).toEqual([]);
    expect(old.artifacts.archived).toEqual([expect.objectContaining({ name: 'sunset-1.png', strategy: 'thumbnail', original_hash: art.a.hash })]);
    const text = renderText(diff);
    expect(text).toContain(`~ sunset-1.png archived (thumbnail, original ${String(art.a.hash).slice(0, 19)}…`);
    expect(text).not.toMatch(/- sunset-1\.png/);
    expect(renderMarkdown(diff, {})).toContain('Archived artifacts: <code>sunset-1.png</code>');
    await restoreEntry(j.dir, 'entry-old');
    const back = await j.commit('restore');
    const { diff: d2 } = await diffJournal(j.dir, `${archivedAt}..${back}`);
    expect(d2.entries.find((e) => e.id === 'entry-old')!.artifacts.restored.map((a) => a.name)).toEqual(['sunset-1.png']);
  });
});

describe('lab archive on Org entries', () => {
  it('writes the archive record into the #+ARTIFACTS keyword, the rest of the file unchanged, and restores', async () => {
    const j = await makeJournal();
    const png = await noisePng(400, 300, 31);
    const art = j.blob('scan.png', png, 'image/png', { width: 400, height: 300 });
    const head = `#+TITLE: Old scan\n#+ID: entry-org-scan\n#+TYPE: manual\n#+CREATED: 2024-01-05T10:00:00Z\n#+STATUS: completed\n`;
    const body = `# kept comment\n\n* Notes\nScanned by hand.\n`;
    j.write(
      `${PAGE}/entries/001-scan.org`,
      `${head}#+ARTIFACTS: [ { name: scan.png, hash: "${art.hash}", type: image/png, size_bytes: ${png.byteLength}, width: 400, height: 300 } ]\n${body}`,
    );
    await j.commit('org');
    const r = await archiveJournal(j.dir, { olderThanDays: 90, now: NOW });
    expect(r.archived.map((a) => a.artifact)).toEqual(['scan.png']);
    const text = j.read(`${PAGE}/entries/001-scan.org`);
    expect(text.startsWith(head)).toBe(true);
    expect(text.endsWith(body)).toBe(true);
    expect(text).toMatch(/#\+ARTIFACTS: .*strategy: thumbnail.*original_hash: "?sha256:/);
    expect((await compile(j.dir)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    await restoreEntry(j.dir, 'entry-org-scan');
    expect(fs.readFileSync(path.join(j.dir, 'content/blobs', sha(png).slice(0, 2), `${sha(png)}.png`)).equals(png)).toBe(true);
  });
});
