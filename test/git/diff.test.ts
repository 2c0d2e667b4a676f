import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import type { EntryDiff, JournalDiff } from '../../src/git/diff/model.ts';
import { diffJournal } from '../../src/git/diff/run.ts';
import { ENTRIES, entry, makeRepo, NB, notebook, PAGE, page, removeTempDirs } from './helpers.ts';
import { prScenario } from './scenario.ts';

afterAll(removeTempDirs);

function byId(d: JournalDiff, id: string): EntryDiff {
  const e = d.entries.find((x) => x.id === id);
  if (!e) throw new Error(`no ${id} in diff: ${d.entries.map((x) => x.id).join(', ')}`);
  return e;
}

async function run(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['-C', dir, ...args], { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

describe('lab diff between two commits', async () => {
  const s = await prScenario();
  const { diff } = await diffJournal(s.repo.dir, 'main..feature');

  it('names both sides by ref and commit', () => {
    expect(diff.base).toEqual({ ref: 'main', commit: s.base });
    expect(diff.head).toEqual({ ref: 'feature', commit: s.head });
    expect(diff.problems).toEqual([]);
  });

  it('reports a parameter change with dotted nested keys, only changed keys', () => {
    const e = byId(diff, 'entry-sunset');
    expect(e.change).toBe('changed');
    expect(e.comparison!.inputs).toEqual([
      { key: 'parameters.cfg', old: 7.5, new: 8 },
      { key: 'parameters.sampler.steps', old: 20, new: 30 },
    ]);
  });

  it('reports a re-run with its duration', () => {
    const run = byId(diff, 'entry-sunset').comparison!.run!;
    expect(run).toMatchObject({ kind: 're-run', status: 'completed', duration_seconds: 12.4, started_at: '2024-11-28T09:00:00Z' });
  });

  it('gives metric deltas with better/worse from the notebook settings', () => {
    const metrics = byId(diff, 'entry-sunset').comparison!.metrics;
    const aesthetic = metrics.find((m) => m.key === 'aesthetic')!;
    expect(aesthetic).toMatchObject({ old: 6.1, new: 6.8, delta: 0.7, direction: 'higher', verdict: 'better' });
    expect(aesthetic.relative).toBeCloseTo(0.7 / 6.1, 10);
    // loss is declared lower-is-better: going up is worse.
    expect(metrics.find((m) => m.key === 'loss')).toMatchObject({ old: 0.5, new: 0.55, delta: 0.05, relative: 0.1, verdict: 'worse' });
    expect(byId(diff, 'entry-sunset').comparison!.rating).toMatchObject({ old: 3, new: 4, delta: 1, verdict: 'better' });
    expect(diff.summary.metrics).toEqual({ better: 3, worse: 1 });
  });

  it('lists an added image with the path of its blob', () => {
    const added = byId(diff, 'entry-sunset').artifacts.added;
    expect(added).toHaveLength(1);
    const hex = String(s.image.hash).slice(7);
    expect(added[0]).toMatchObject({ name: 'image-001.png', image: true, width: 1024, height: 1024, blob_path: `content/blobs/${hex.slice(0, 2)}/${hex}.png` });
  });

  it('compares a new variation with its unchanged parent', () => {
    const e = byId(diff, 'entry-portrait-seed');
    expect(e.change).toBe('added');
    expect(e.baseline).toMatchObject({ id: 'entry-portrait', title: 'Portrait base', relation: 'variation_of', changed: false });
    expect(e.baseline!.comparison.inputs).toEqual([{ key: 'parameters.seed', old: 7, new: 8 }]);
    expect(e.baseline!.comparison.metrics).toEqual([expect.objectContaining({ key: 'aesthetic', old: 5.5, new: 5.9, verdict: 'better' })]);
    expect(e.comparison!.run).toMatchObject({ kind: 'first-run', status: 'completed', duration_seconds: 18 });
    // The parent itself did not change, so it is not listed.
    expect(diff.entries.find((x) => x.id === 'entry-portrait')).toBeUndefined();
  });

  it('matches a renamed entry by id', () => {
    const e = byId(diff, 'entry-fog');
    expect(e).toMatchObject({ change: 'changed', move: 'renamed', path: `${ENTRIES}/003-fog-study.md`, old_path: `${ENTRIES}/003-fog.md` });
    expect(diff.entries.filter((x) => x.id === 'entry-fog')).toHaveLength(1);
  });

  it('reports removed and added entries', () => {
    expect(byId(diff, 'entry-old')).toMatchObject({ change: 'removed', path: `${ENTRIES}/004-old.md` });
    expect(byId(diff, 'entry-dawn')).toMatchObject({ change: 'added', status: 'created' });
    expect(diff.summary.entries).toMatchObject({ added: 2, removed: 1, changed: 2, moved: 1, runs: 2 });
  });

  it('reports narrative changes per section', () => {
    expect(diff.pages).toHaveLength(1);
    const p = diff.pages[0]!;
    expect(p).toMatchObject({ id: 'page-landscapes', change: 'changed' });
    expect(p.narrative).toEqual([
      { section: 'observations', heading: 'Observations', change: 'changed', added: ['cfg 8 with 30 steps gives crisp skies.'], removed: [] },
      { section: 'next_steps', heading: 'Next Steps', change: 'added', added: ['Try cfg 9.'], removed: [] },
    ]);
  });

  it('prints a compact text report', async () => {
    const { code, out } = await run(s.repo.dir, 'diff', 'main..feature');
    expect(code).toBe(0);
    expect(out).toContain(`lab diff: main (${s.base.slice(0, 7)}) → feature (${s.head.slice(0, 7)})`);
    expect(out).toContain('entries: 2 added, 2 changed, 1 removed · 2 runs · metrics: 3 better, 1 worse · pages: 1 changed');
    expect(out).toMatch(/~ Sunset cfg sweep \(entry-sunset\) — re-run: completed in 12\.4 s/);
    expect(out).toMatch(/parameters\.cfg\s+7\.5 → 8/);
    expect(out).toMatch(/metrics\.aesthetic\s+6\.1 → 6\.8\s+\+0\.7 \(\+11\.5%\)\s+▲ better/);
    expect(out).toMatch(/metrics\.loss\s+0\.5 → 0\.55\s+\+0\.05 \(\+10%\)\s+▼ worse/);
    expect(out).toContain('variation of Portrait base (entry-portrait), unchanged here; vs it:');
    expect(out).toContain('renamed: 003-fog.md → 003-fog-study.md');
    expect(out).toContain('+ cfg 8 with 30 steps gives crisp skies.');
  });

  it('prints one line per entry with --stat', async () => {
    const { out } = await run(s.repo.dir, 'diff', 'main..feature', '--stat');
    const lines = out.trim().split('\n');
    expect(lines).toContain(
      '~ Sunset cfg sweep  re-run: completed in 12.4 s · parameters.cfg 7.5 → 8 · parameters.sampler.steps 20 → 30 · 1 new artifact  ⇒ rating 3→4 (+33.3%) ▲, aesthetic 6.1→6.8 (+11.5%) ▲',
    );
    expect(lines).toContain('+ Portrait seed 8  run: completed in 18 s · parameters.seed 7 → 8  ⇒ aesthetic 5.5→5.9 (+7.27%) ▲');
    expect(lines).toContain('- Old attempt  removed');
    expect(lines).toContain('~ page Landscape Generation  Observations, Next Steps');
    expect(lines).toHaveLength(2 + 1 + 5 + 1);
  });

  it('prints stable JSON', async () => {
    const { code, out } = await run(s.repo.dir, 'diff', 'main..feature', '--format', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as JournalDiff;
    expect(parsed.version).toBe(1);
    expect(parsed.entries.map((e) => e.id)).toEqual(['entry-sunset', 'entry-fog', 'entry-old', 'entry-portrait-seed', 'entry-dawn']);
    const again = await run(s.repo.dir, 'diff', 'main..feature', '--json');
    expect(again.out).toBe(out);
  });
});

describe('lab diff defaults and ranges', () => {
  it('compares the merge base with the working tree, uncommitted edits included', async () => {
    const s = await prScenario();
    // main moves on after the branch: its change must not show up in the branch's diff.
    await s.repo.checkout('main');
    s.repo.write({ [`${ENTRIES}/010-main-only.md`]: entry({ id: 'entry-main-only', title: 'On main only' }) });
    await s.repo.commit('main moves on');
    await s.repo.checkout('feature');
    s.repo.write({ [`${ENTRIES}/006-dawn.md`]: entry({ id: 'entry-dawn', title: 'Dawn idea', parameters: { seed: 60 } }) });
    const { diff } = await diffJournal(s.repo.dir, undefined);
    expect(diff.base).toEqual({ ref: 'main', commit: s.base });
    expect(diff.head).toEqual({ ref: 'working tree', commit: null });
    expect(diff.entries.find((e) => e.id === 'entry-main-only')).toBeUndefined();
    expect(byId(diff, 'entry-dawn').comparison!.inputs).toEqual([{ key: 'parameters.seed', new: 60 }]);
    const three = await diffJournal(s.repo.dir, 'main...feature');
    expect(three.diff.base.commit).toBe(s.base);
    const two = await diffJournal(s.repo.dir, 'main..feature');
    expect(two.diff.entries.find((e) => e.id === 'entry-main-only')).toMatchObject({ change: 'removed' });
  });

  it('accepts HEAD~N and abbreviated commit ids', async () => {
    const s = await prScenario();
    const { diff } = await diffJournal(s.repo.dir, `${s.base.slice(0, 8)}..HEAD`);
    expect(diff.base.commit).toBe(s.base);
    expect(diff.head.commit).toBe(s.head);
    const tilde = await diffJournal(s.repo.dir, 'HEAD~1..HEAD');
    expect(tilde.diff.base.commit).toBe(s.base);
  });

  it('names an unknown ref in a clear error', async () => {
    const s = await prScenario();
    const { code, err } = await run(s.repo.dir, 'diff', 'nope..feature');
    expect(code).toBe(1);
    expect(err).toContain("unknown revision 'nope'");
    expect(err).not.toMatch(/at .*\.ts:\d+/);
    const usage = await run(s.repo.dir, 'diff', '--format', 'xml');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--format must be text, md or json');
  });

  it('reports a file that fails to parse on one side, with file and line, and still diffs the rest', async () => {
    const s = await prScenario();
    const broken = `${s.repo.read(`${ENTRIES}/002-portrait.md`).replace('title: Portrait base', 'title: [unclosed')}`;
    s.repo.write({ [`${ENTRIES}/002-portrait.md`]: broken });
    const { diff } = await diffJournal(s.repo.dir, 'feature');
    const problem = diff.problems.find((p) => p.file === `${ENTRIES}/002-portrait.md`);
    expect(problem).toMatchObject({ side: 'head' });
    expect(problem!.line).toBeGreaterThan(1);
    expect(byId(diff, 'entry-portrait')).toMatchObject({ change: 'unreadable', problem: { side: 'head', file: `${ENTRIES}/002-portrait.md` } });
    // The rest is still compared: edit another entry.
    const { out } = await run(s.repo.dir, 'diff', 'feature');
    expect(out).toMatch(new RegExp(`! working tree: ${ENTRIES}/002-portrait\\.md:\\d+:\\d+: `));
    expect(out).toContain('could not be read at head');
  });

  it('reports input problems the run would refuse (lab diff checks inputs as lab check does)', async () => {
    const s = await prScenario();
    const portrait = s.repo
      .read(`${ENTRIES}/002-portrait.md`)
      .replace('type: manual', 'type: http')
      .replace('inputs:', 'inputs:\n  method: FETCH\n  url: https://example.com');
    s.repo.write({ [`${ENTRIES}/002-portrait.md`]: portrait });
    const { out } = await run(s.repo.dir, 'diff', 'feature');
    expect(out).toMatch(new RegExp(`! working tree: ${ENTRIES}/002-portrait\\.md:\\d+:3: \`inputs\\.method\` must be one of GET, `));
  });

  it('explains a shallow clone that lacks the base commit', async () => {
    const s = await prScenario();
    // Make the clone shallow at the head: its parent (the base) is no longer reachable.
    fs.writeFileSync(path.join(s.repo.dir, '.git', 'shallow'), `${s.head}\n`);
    fs.rmSync(path.join(s.repo.dir, '.git', 'objects', s.base.slice(0, 2), s.base.slice(2)));
    const { code, err } = await run(s.repo.dir, 'diff', `${s.base}..HEAD`);
    expect(code).toBe(1);
    expect(err).toContain(s.base.slice(0, 7));
    expect(err).toContain('shallow clone');
    expect(err).toContain('fetch-depth: 0');
  });

  it('says so when there are no changes', async () => {
    const repo = await makeRepo();
    repo.write({ [`${NB}/README.md`]: notebook(), [`${PAGE}/README.md`]: page({ Goals: 'x' }) });
    await repo.commit('init');
    const { out } = await run(repo.dir, 'diff', 'main');
    expect(out).toContain('entries: no changes');
  });

  it('notices a changed input file and works in a workspace inside a subfolder of the repository', async () => {
    const repo = await makeRepo();
    const sub = (p: string) => `journal/${p}`;
    repo.write({
      [sub('lab.config.yaml')]: 'name: Sub\nrepository: https://github.com/acme/mono\n',
      [sub(`${NB}/README.md`)]: notebook(),
      [sub(`${PAGE}/README.md`)]: page({ Goals: 'x' }),
      [sub(`${ENTRIES}/workflow.json`)]: '{"3": {"inputs": {"steps": 20}}}\n',
      [sub(`${ENTRIES}/001-wf.md`)]: entry({ id: 'entry-wf', title: 'Workflow run', inputs: { workflow: './workflow.json' } }),
    });
    const base = await repo.commit('journal in a subfolder');
    repo.write({ [sub(`${ENTRIES}/workflow.json`)]: '{"3": {"inputs": {"steps": 30}}}\n' });
    const head = await repo.commit('more steps');
    const { diff, plan } = await diffJournal(path.join(repo.dir, 'journal'), `${base}..${head}`);
    expect(plan.repo.prefix).toBe('journal/');
    expect(byId(diff, 'entry-wf')).toMatchObject({ change: 'changed', input_files: [{ path: `${ENTRIES}/workflow.json`, change: 'modified' }] });
    const { out } = await run(path.join(repo.dir, 'journal'), 'diff', `${base}..${head}`);
    expect(out).toContain(`input file modified: ${ENTRIES}/workflow.json`);
  });
});
