/**
 * The quirks real `.eln` files have, in one hand-made crate: a root folder with a
 * `:` and spaces, typed nodes such as ["Dataset","Message"], dates that are not
 * ISO 8601, `keywords` as an array, Files without (or with a wrong) sha256 — and
 * zip-slip entries (`../`, absolute, symlinks), which are refused, never written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { importFile } from '../../src/exchange/import.ts';
import { emptyJournal, listFiles, rawZip, removeScratch, scratch } from './helpers.ts';

afterAll(removeScratch);

const ROOT = 'Lab: Week 3 export';
const spectrum = 'nm,counts\n532,1200\n633,80\n';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function quirkyCrate(): Buffer {
  const graph = [
    {
      '@id': 'ro-crate-metadata.json',
      '@type': 'CreativeWork',
      about: { '@id': './' },
      conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
      version: '1.0',
      sdPublisher: { '@id': '#scilog' },
    },
    { '@id': '#scilog', '@type': 'Organization', name: 'SciLog' },
    {
      '@id': './',
      '@type': 'Dataset',
      name: ROOT,
      description: 'Beamtime logbook',
      license: 'CC-BY-4.0',
      datePublished: '2025-09-16',
      hasPart: [{ '@id': './messages/42/' }, { '@id': './messages/43/' }],
    },
    {
      '@id': './messages/42/',
      '@type': ['Dataset', 'Message'],
      name: 'Alignment done',
      dateCreated: '16/09/2025 10:37',
      keywords: ['optics', 'laser, green'],
      text: '<p>Aligned the <b>532 nm</b> line.</p><script>alert(1)</script>',
      hasPart: [{ '@id': './messages/42/spectrum.csv' }, { '@id': './messages/42/tampered.txt' }, { '@id': '../evil.txt' }],
    },
    { '@id': './messages/43/', '@type': ['Dataset', 'Message'], name: 'Shift handover', dateCreated: 'yesterday evening', keywords: 'handover' },
    { '@id': './messages/42/spectrum.csv', '@type': 'File', name: 'spectrum.csv', encodingFormat: 'text/csv' },
    { '@id': './messages/42/tampered.txt', '@type': 'File', name: 'tampered.txt', sha256: sha('what the crate claims') },
    { '@id': '../evil.txt', '@type': 'File', name: 'evil.txt' },
  ];
  return rawZip([
    { name: `${ROOT}/` },
    { name: `${ROOT}/ro-crate-metadata.json`, data: JSON.stringify({ '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': graph }) },
    { name: `${ROOT}/messages//42/spectrum.csv`, data: spectrum },
    { name: `${ROOT}/messages/42/tampered.txt`, data: 'something else entirely' },
    { name: '../evil.txt', data: 'zip-slip' },
    { name: '/tmp/lab-absolute-evil.txt', data: 'absolute' },
    { name: `${ROOT}/messages/42/link`, data: '/etc/passwd', mode: 0o120777 },
  ]);
}

describe('importing a quirky .eln', () => {
  it('handles every quirk and refuses zip-slip entries', async () => {
    const dir = scratch();
    const file = path.join(dir, 'scilog.eln');
    fs.writeFileSync(file, quirkyCrate());
    const root = emptyJournal();
    const r = await importFile(root, file);
    expect(r.refused.map((x) => x.what).sort()).toEqual(['../evil.txt', '/tmp/lab-absolute-evil.txt', `${ROOT}/messages/42/link`]);
    expect(r.refused.map((x) => x.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/leaves the archive folder/), expect.stringMatching(/absolute/), expect.stringMatching(/symbolic link/)]),
    );
    expect(fs.existsSync(path.join(dir, 'evil.txt'))).toBe(false);
    expect(fs.existsSync(path.join(root, '..', 'evil.txt'))).toBe(false);
    expect(fs.existsSync('/tmp/lab-absolute-evil.txt')).toBe(false);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { what: 'entry-' + r.entries[0]!.id.slice(6) + ': tampered.txt', reason: expect.stringMatching(/does not match its sha256/) },
        { what: '../evil.txt', reason: 'file not in the archive' },
      ]),
    );
    const { index, diagnostics } = await compile(root);
    expect(diagnostics).toEqual([]);
    const nb = index.notebooks[0]!;
    expect(nb.title).toBe(ROOT);
    const alignment = index.entries.find((e) => e.title === 'Alignment done')!;
    expect(alignment.metadata.tags).toEqual(['optics', 'laser', 'green']);
    expect(alignment.created).toBeNull();
    expect(alignment.artifacts).toEqual([expect.objectContaining({ name: 'spectrum.csv', hash: `sha256:${sha(spectrum)}` })]);
    expect(alignment.metadata.notes).toBe('Aligned the **532 nm** line.');
    const text = fs.readFileSync(path.join(root, alignment.source.path), 'utf8');
    expect(text).toContain('date_created: 16/09/2025 10:37');
    expect(text).toContain('- Message');
    const handover = index.entries.find((e) => e.title === 'Shift handover')!;
    expect(fs.readFileSync(path.join(root, handover.source.path), 'utf8')).toContain('date_created: yesterday evening');
    expect(listFiles(path.join(root, 'content', 'blobs'))).toHaveLength(1);
    // Idempotent.
    const again = await importFile(root, file);
    expect(again.entries).toEqual([]);
  });

  it('a crate whose root lists no Dataset still imports its top-level Datasets, and says so', async () => {
    const graph = [
      { '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', about: { '@id': './' }, conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' } },
      { '@id': './', '@type': 'Dataset', name: 'datalab export' },
      { '@id': './samples/s1/', '@type': 'Dataset', name: 'Sample S1', keywords: 'cathode', dateCreated: '2024-05-01T09:00:00+00:00' },
    ];
    const dir = scratch();
    const file = path.join(dir, 'datalab.eln');
    fs.writeFileSync(
      file,
      rawZip([{ name: 'export/ro-crate-metadata.json', data: JSON.stringify({ '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': graph }) }]),
    );
    const root = emptyJournal();
    const r = await importFile(root, file);
    expect(r.entries).toHaveLength(1);
    expect(r.skipped[0]!.reason).toMatch(/root lists no Dataset/);
    expect((await compile(root)).diagnostics).toEqual([]);
  });

  it('a file that is not a zip, or a zip without a crate, is a clear error', async () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'notes.eln'), 'not a zip');
    fs.writeFileSync(path.join(dir, 'empty.eln'), rawZip([{ name: 'x/readme.txt', data: 'hi' }]));
    const root = emptyJournal();
    await expect(importFile(root, path.join(dir, 'notes.eln'))).rejects.toThrow(/not a readable zip file/);
    await expect(importFile(root, path.join(dir, 'empty.eln'))).rejects.toThrow(/no ro-crate-metadata\.json inside/);
  });
});
