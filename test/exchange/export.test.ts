/**
 * `lab export`: every `.eln` passes the consortium's checks; export → import →
 * export gives the same crate; a journal zip restores the files exactly; the
 * commands work through the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { compile } from '../../src/core/compile.ts';
import { exportJournal } from '../../src/exchange/export.ts';
import { importFile } from '../../src/exchange/import.ts';
import { attachFiles } from '../../src/runners/attach.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { elnProblems, readZip } from './eln-checks.ts';
import { emptyJournal, listFiles, removeScratch, scratch } from './helpers.ts';

afterAll(removeScratch);

const PAGE = 'content/notebooks/optics/2025-02-beam-profiles';
let journal: string;
let out: string;

/** A journal a scientist would have: a command run with an input file, logs, metrics and an image; a variation; a rated manual entry with attachments; tags. */
beforeAll(async () => {
  journal = emptyJournal();
  out = scratch();
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(journal, rel)), { recursive: true });
    fs.writeFileSync(path.join(journal, rel), text);
  };
  write('lab.config.yaml', 'name: Optics lab\nlicense: CC-BY-4.0\n');
  write(
    'content/notebooks/optics/README.md',
    '---\ntitle: Optics bench\ndescription: Beam profiling on the green laser\ntags: [optics, laser]\n---\n\nThe notebook of the optics bench.\n',
  );
  write(
    `${PAGE}/README.md`,
    '---\ntitle: Beam profiles, February\ndate: 2025-02-03\ntags: [beam]\nstatus: active\n---\n\n## Goals\n\nMeasure the waist at three currents.\n\n## Observations\n\nThe 1.2 A run is clipped.\n',
  );
  write(`${PAGE}/entries/fit.py`, 'import sys\nprint("waist", 41.5)\n');
  write(
    `${PAGE}/entries/001-profile-1a.md`,
    `---
id: entry-profile-1a
title: Profile at 1.0 A
type: command
created: 2025-02-03T09:00:00Z
tags: [profile, "1.0 A"]
inputs:
  command: 'python3 fit.py > /dev/null; echo "waist 41.5 um"; printf "x,y\\n0,1\\n" > profile.csv; printf "{\\"waist_um\\": 41.5}" > "$LAB_METRICS_FILE"'
  parameters: { script: ./fit.py, current_a: 1.0, "camera.gain": 2, fit: { model: gaussian, iterations: 50 } }
  outputs: [profile.csv]
---

First profile. Looks **clean**.
`,
  );
  write(
    `${PAGE}/entries/002-profile-1-2a.md`,
    `---
id: entry-profile-1-2a
title: Profile at 1.2 A
type: manual
created: 2025-02-03T10:00:00Z
parent: entry-profile-1a
variation_of: entry-profile-1a
rating: 2
tags: [profile]
inputs:
  current_a: 1.2
---

Clipped at the top.
`,
  );
  expect((await executeEntry(path.join(journal, PAGE, 'entries/001-profile-1a.md'), { root: journal })).outcome).toBe('completed');
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 200, b: 40 } } })
    .png()
    .toBuffer();
  write('scratch-beam.png', png);
  await attachFiles('entry-profile-1-2a', [path.join(journal, 'scratch-beam.png')], { cwd: journal, root: journal });
  fs.rmSync(path.join(journal, 'scratch-beam.png'));
  const { diagnostics } = await compile(journal);
  expect(diagnostics).toEqual([]);
}, 60_000);

describe('lab export --format eln', () => {
  for (const [kind, id] of [
    ['notebook', 'nb-optics'],
    ['page', 'page-optics-2025-02-beam-profiles'],
    ['entry', 'entry-profile-1-2a'],
  ] as const) {
    it(`${kind}: passes the consortium's schema and structural checks`, async () => {
      const file = path.join(out, `${kind}.eln`);
      const r = await exportJournal(journal, { kind, ref: id, format: 'eln', out: file });
      expect(r.skipped).toEqual([]);
      const { problems, crate } = await elnProblems(file);
      expect(problems).toEqual([]);
      const graph = crate['@graph'];
      const byId = new Map(graph.map((n) => [n['@id'], n]));
      expect(byId.get('./')).toMatchObject({ license: 'CC-BY-4.0', identifier: `codex-lab-journal:${kind}:${id}` });
      if (kind !== 'entry') {
        const run = byId.get('#run/entry-profile-1a')!;
        expect(run).toMatchObject({ '@type': 'CreateAction', instrument: { '@id': expect.stringMatching(/^#runner\/command/) } });
        expect(run.object).toEqual([{ '@id': './optics/2025-02-beam-profiles/001-profile-1a/inputs/fit.py' }]);
        expect(byId.get('#pv/entry-profile-1a/inputs.outputs')).toMatchObject({ value: '["profile.csv"]', valueReference: 'application/json' });
        // A key with a dot in it ("camera.gain") keeps its object whole, so the dotted ids read back unambiguously.
        expect(JSON.parse(String(byId.get('#pv/entry-profile-1a/inputs.parameters')!.value))).toMatchObject({ 'camera.gain': 2, fit: { model: 'gaussian' } });
        expect(byId.get('#pv/entry-profile-1a/execution.exit_code')).toMatchObject({ value: 0 });
        expect(byId.get('#pv/entry-profile-1a/metrics.waist_um')).toMatchObject({ value: 41.5 });
        const variation = byId.get('./optics/2025-02-beam-profiles/002-profile-1-2a/')!;
        expect(variation).toMatchObject({
          keywords: 'profile',
          isBasedOn: [{ '@id': './optics/2025-02-beam-profiles/001-profile-1a/' }],
          aggregateRating: { '@id': '#rating/entry-profile-1-2a' },
        });
      }
    });
  }

  it('export → import → export gives the same crate and the same files', async () => {
    const first = path.join(out, 'first.eln');
    await exportJournal(journal, { kind: 'notebook', ref: 'nb-optics', format: 'eln', out: first });
    const copy = emptyJournal();
    fs.writeFileSync(path.join(copy, 'lab.config.yaml'), 'name: Copy\nlicense: CC-BY-4.0\n');
    const imported = await importFile(copy, first);
    expect(imported.failed).toEqual([]);
    expect(imported.skipped).toEqual([]);
    expect(imported.entries.map((e) => e.id).sort()).toEqual(['entry-profile-1-2a', 'entry-profile-1a']);
    const { diagnostics, index } = await compile(copy);
    expect(diagnostics).toEqual([]);
    expect(index.entries.find((e) => e.id === 'entry-profile-1a')!.stale).toBe(false);
    const second = path.join(out, 'second.eln');
    await exportJournal(copy, { kind: 'notebook', ref: 'nb-optics', format: 'eln', out: second });
    const [a, b] = [await readZip(first), await readZip(second)];
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    expect(fs.readFileSync(second).equals(fs.readFileSync(first))).toBe(true);
    expect((await importFile(copy, first)).entries).toEqual([]);
  });

  it('an entry exported alone imports clean: a parent that did not come along is kept under `imported`', async () => {
    const file = path.join(out, 'variation.eln');
    await exportJournal(journal, { kind: 'entry', ref: 'entry-profile-1-2a', format: 'eln', out: file });
    const copy = emptyJournal();
    const r = await importFile(copy, file);
    expect(r.entries.map((e) => e.id)).toEqual(['entry-profile-1-2a']);
    const { diagnostics, index } = await compile(copy);
    expect(diagnostics).toEqual([]);
    const e = index.entries[0]!;
    expect(e.lineage.parent_id).toBeNull();
    expect(fs.readFileSync(path.join(copy, e.source.path), 'utf8')).toMatch(/imported:\n  parent: entry-profile-1a\n  variation_of: entry-profile-1a/);
    expect(e.artifacts.map((a) => [a.name, a.width, a.height])).toEqual([['scratch-beam.png', 64, 48]]);
  });

  it('is deterministic: the same journal gives the same bytes', async () => {
    const a = path.join(out, 'a.eln');
    const b = path.join(out, 'b.eln');
    await exportJournal(journal, { kind: 'notebook', ref: 'nb-optics', format: 'eln', out: a });
    await exportJournal(journal, { kind: 'notebook', ref: 'nb-optics', format: 'eln', out: b });
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });
});

describe('lab export --format zip', () => {
  it('restores the journal files exactly, and a second import writes nothing', async () => {
    const file = path.join(out, 'optics.zip');
    await exportJournal(journal, { kind: 'notebook', ref: 'nb-optics', format: 'zip', out: file });
    const copy = emptyJournal();
    const r = await importFile(copy, file);
    expect(r.skipped).toEqual([]);
    const originals = listFiles(path.join(journal, 'content'));
    expect(listFiles(path.join(copy, 'content'))).toEqual(originals);
    for (const f of originals) expect(fs.readFileSync(path.join(copy, 'content', f)).equals(fs.readFileSync(path.join(journal, 'content', f))), f).toBe(true);
    const again = await importFile(copy, file);
    expect(again.files.written).toEqual([]);
    expect(again.files.unchanged).toHaveLength(r.files.written.length);
  });

  it('an entry exported as zip goes into another notebook with --notebook', async () => {
    const file = path.join(out, 'entry.zip');
    await exportJournal(journal, { kind: 'entry', ref: 'entry-profile-1a', format: 'zip', out: file });
    const other = emptyJournal();
    fs.mkdirSync(path.join(other, 'content/notebooks/bench-2'), { recursive: true });
    fs.writeFileSync(path.join(other, 'content/notebooks/bench-2/README.md'), '---\ntitle: Bench 2\n---\n');
    const r = await importFile(other, file, { notebook: 'nb-bench-2' });
    expect(r.files.written).toContain('content/notebooks/bench-2/2025-02-beam-profiles/entries/001-profile-1a.md');
    expect(r.files.written.some((f) => f.startsWith('content/notebooks/optics/'))).toBe(false);
    const { diagnostics } = await compile(other);
    expect(diagnostics).toEqual([]);
  });
});

describe('the commands', () => {
  it('lab export, lab import and lab archive --dry-run work through the CLI', async () => {
    const file = path.join(out, 'cli.eln');
    const outText: string[] = [];
    const io = { out: (s: string) => outText.push(s), err: (s: string) => outText.push(s) };
    expect(await main(['-C', journal, 'export', 'page', 'page-optics-2025-02-beam-profiles', '-o', file], io)).toBe(0);
    expect(outText.join('\n')).toMatch(/wrote .*cli\.eln: \d+ file\(s\)/);
    const copy = emptyJournal();
    expect(await main(['-C', copy, 'import', file, '--json'], io)).toBe(0);
    expect(JSON.parse(outText.at(-1)!).entries).toHaveLength(2);
    expect(await main(['-C', copy, 'import', file], io)).toBe(0);
    expect(outText.at(-1)).toContain('Nothing new: this file was imported before.');
    expect(await main(['-C', journal, 'archive', '--dry-run', '--older-than', '30d', '--json'], io)).toBe(0);
    expect(JSON.parse(outText.at(-1)!)).toMatchObject({ dry_run: true, freed: { full_clone: 0 } });
    expect(await main(['-C', journal, 'export', 'shelf', 'x', '-o', file], io)).toBe(2);
    expect(await main(['-C', journal, 'archive', '--older-than', 'soon'], io)).toBe(2);
  });
});
