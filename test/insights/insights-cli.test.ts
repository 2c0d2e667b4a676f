/** `lab insights` on a journal on disk: the planted parameter named with size and confidence, same bytes every time, suggestions that never repeat a point. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { existingHashes, InputsHasher } from '../../src/insights/inputs-hashes.ts';
import { lab, makeWorkspace } from '../runners/helpers.ts';
import { plantedEntries, writePlanted } from './planted-journal.ts';

describe('lab insights (CLI)', { timeout: 120_000 }, () => {
  it('names cfg with its size and confidence, cites entries, is byte-stable, and --suggest adds only new points', async () => {
    const root = await makeWorkspace();
    const entries = plantedEntries({ seed: 7 });
    await writePlanted(root, entries);
    // One stale entry (inputs edited after its run) and one failed run: named, but left out of the numbers.
    const stale = entries[3]!;
    const failed = entries[4]!;
    const edit = async (rel: string, from: string, to: string) => {
      const file = path.join(root, rel);
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(from, to));
    };
    await edit(stale.source.path, 'status: completed', `status: completed\nexecution:\n  inputs_hash: sha256:${'0'.repeat(64)}`);
    await edit(failed.source.path, 'status: completed', 'status: failed\nexecution:\n  error: "CUDA out of memory"');
    await compile(root);

    const a = await lab(['insights', 'page-one', '--json', '--offline'], root);
    expect(a.code).toBe(0);
    const b = await lab(['insights', 'page-one', '--json', '--offline'], root);
    expect(b.stdout).toBe(a.stdout);
    const report = JSON.parse(a.stdout);
    const top = report.effects.find((e: { metric: string }) => e.metric === 'accuracy');
    expect(top).toMatchObject({ parameter: 'cfg', rank: 1, direction: 'increases', significant: true, n: 28 });
    expect(report.entries).toEqual({ total: 30, analysed: 28, failed: [failed.id], stale: [stale.id] });
    expect(report.summary.text).toContain(`1 entry did not complete: ${failed.id} (failed: CUDA out of memory).`);
    expect(report.summary.text).toContain(`1 entry is stale (inputs changed after the run, so their numbers are left out): ${stale.id}`);
    expect(report.suggestions.at(-1)).toMatchObject({ kind: 'rerun', from: stale.id });
    expect(Object.keys(top).slice(0, 3)).toEqual(['metric', 'parameter', 'rank']);
    expect(report.best[0]).toMatchObject({ metric: 'accuracy', goal: 'maximize' });
    expect(report.summary.text).toMatch(
      /cfg matters most for accuracy: rho = 0\.\d+ \(95% 0\.\d+ to 0\.\d+\), (0\.\d+ within strata of the other parameters, )?n = 28, adjusted p = 0\.00\d+/,
    );
    for (const s of report.summary.sentences) expect(s.cites.length).toBeGreaterThan(0);

    const text = await lab(['insights', 'page-one', '--offline'], root);
    expect(text.stdout).toMatch(/Effects on accuracy:\n\s+#\s+PARAMETER.*\n\s+1\s+cfg\s+0\.\d+\s+increases\s+28/);

    // Suggestions never repeat an existing inputs hash, before or after they are created.
    const hasher = new InputsHasher(root);
    const { index } = await compile(root);
    const taken = await existingHashes(hasher, index.entries, index.entries);
    expect(report.suggestions.length).toBeGreaterThan(0);
    for (const s of report.suggestions) if (s.inputs_hash) expect(taken.has(s.inputs_hash)).toBe(false);
    expect(report.suggestions[0]).toMatchObject({ kind: 'neighbour', set: [{ parameter: 'cfg' }] });

    const made = await lab(['insights', 'page-one', '--suggest', '2', '--json', '--offline'], root);
    expect(made.code).toBe(0);
    const createdReport = JSON.parse(made.stdout);
    expect(createdReport.created.reduce((n: number, c: { created: number }) => n + c.created, 0)).toBe(2);
    const after = await compile(root);
    expect(after.index.entries).toHaveLength(32);
    const next = JSON.parse((await lab(['insights', 'page-one', '--json', '--offline'], root)).stdout);
    const takenNow = await existingHashes(new InputsHasher(root), after.index.entries, after.index.entries);
    for (const s of next.suggestions) if (s.inputs_hash) expect(takenNow.has(s.inputs_hash)).toBe(false);
    const hashesMade = report.suggestions.slice(0, 2).map((s: { inputs_hash: string }) => s.inputs_hash);
    for (const s of next.suggestions) expect(hashesMade).not.toContain(s.inputs_hash);
  });

  it('a notebook, the whole journal, and a name that is neither', async () => {
    const root = await makeWorkspace();
    await writePlanted(root, plantedEntries({ seed: 6, entries: 12 }));
    const nb = await lab(['insights', 'nb', '--json', '--offline'], root);
    expect(nb.code).toBe(0);
    expect(JSON.parse(nb.stdout).scope).toMatchObject({ kind: 'notebook', id: 'nb-nb' });
    const all = await lab(['insights', '--json', '--offline'], root);
    expect(JSON.parse(all.stdout).scope.kind).toBe('journal');
    const bad = await lab(['insights', 'nowhere'], root);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no page or notebook 'nowhere'/);
  });
});
