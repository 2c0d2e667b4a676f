import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { diffJournal } from '../../src/git/diff/run.ts';
import { computeHistory, type HistoryIndex, writeHistoryIndex } from '../../src/git/history.ts';
import { ENTRIES, entry, makeRepo, NB, page, removeTempDirs, tempDir } from './helpers.ts';
import { prScenario } from './scenario.ts';

afterAll(removeTempDirs);

const readHistory = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, '.lab', 'history.json'), 'utf8')) as HistoryIndex;

describe('entry history (one walk, cached per commit)', () => {
  it('lists the commits that touched each entry, newest first, with what changed', async () => {
    const s = await prScenario();
    await writeHistoryIndex(s.repo.dir);
    const h = readHistory(s.repo.dir);
    expect(h.version).toBe(1);
    expect(h.head).toBe(s.head);
    const sunset = h.entries['entry-sunset']!;
    expect(sunset.map((i) => i.commit)).toEqual([s.head, s.base]);
    expect(sunset[0]).toEqual({
      commit: s.head,
      date: '2024-11-27T12:00:00Z',
      author: 'Ada Lovelace',
      message: 'cfg sweep: re-run at cfg 8, portrait seed variation',
      changes: [
        're-run: completed in 12.4 s',
        'parameters.cfg: 7.5 → 8',
        'parameters.sampler.steps: 20 → 30',
        'metrics.aesthetic: 6.1 → 6.8 (+0.7, +11.5%, better)',
        'metrics.loss: 0.5 → 0.55 (+0.05, +10%, worse)',
        'rating: 3 → 4 (+1, +33.3%, better)',
        'artifacts: +image-001.png',
      ],
    });
    expect(sunset[1]!.changes).toEqual(['created as 001-sunset.md', 'run: completed in 12 s']);
    expect(h.entries['entry-old']!.map((i) => i.changes)).toEqual([['deleted'], ['created as 004-old.md']]);
    expect(h.entries['entry-portrait']!.map((i) => i.commit)).toEqual([s.base]);
  });

  it('follows an entry by id through renames and moves', async () => {
    const s = await prScenario();
    s.repo.write({ [`${NB}/portraits/README.md`]: '---\ntitle: Portraits\n---\n' });
    s.repo.move(`${ENTRIES}/003-fog-study.md`, `${NB}/portraits/entries/001-fog.md`);
    const moved = await s.repo.commit('move the fog study');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.entries['entry-fog']!.map((i) => [i.commit, i.changes])).toEqual([
      [moved, [`moved from ${ENTRIES}/003-fog-study.md`]],
      [s.head, ['renamed from 003-fog.md']],
      [s.base, ['created as 003-fog.md']],
    ]);
    expect(history.pages['page-portraits']).toEqual({ last_changed: '2024-11-27T13:00:00Z', commit: moved });
  });

  it('compares a renamed entry with its old file', async () => {
    const s = await prScenario();
    s.repo.remove(`${ENTRIES}/001-sunset.md`);
    s.repo.write({
      [`${ENTRIES}/001-sunset-cfg.md`]: entry({
        id: 'entry-sunset',
        title: 'Sunset cfg sweep',
        status: 'completed',
        parameters: { prompt: 'a serene lake at sunset', seed: 42, cfg: 9, sampler: { name: 'euler', steps: 30 } },
        run: { started: '2024-11-28T09:00:00Z', seconds: 12.4 },
        metrics: { aesthetic: 6.8, loss: 0.55 },
        rating: 4,
        artifacts: [s.image],
      }),
    });
    const renamed = await s.repo.commit('rename and bump cfg');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.entries['entry-sunset']![0]).toMatchObject({ commit: renamed, changes: ['renamed from 001-sunset.md', 'parameters.cfg: 8 → 9'] });
  });

  it('reads Org entries too', async () => {
    const s = await prScenario();
    const org = (seed: number) => `#+TITLE: Org entry\n#+ID: entry-org\n#+TYPE: manual\n#+INPUTS: {parameters: {seed: ${seed}}}\n\nNotes.\n`;
    s.repo.write({ [`${ENTRIES}/007-org.org`]: org(1) });
    await s.repo.commit('org entry');
    s.repo.write({ [`${ENTRIES}/007-org.org`]: org(2) });
    const changed = await s.repo.commit('org seed 2');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.entries['entry-org']!.map((i) => i.changes)).toEqual([['parameters.seed: 1 → 2'], ['created as 007-org.org']]);
    expect(history.entries['entry-org']![0]!.commit).toBe(changed);
    const { diff } = await diffJournal(s.repo.dir, 'HEAD~1..HEAD');
    expect(diff.entries.find((e) => e.id === 'entry-org')!.comparison!.inputs).toEqual([{ key: 'parameters.seed', old: 1, new: 2 }]);
  });

  it('gives last-changed dates for pages and notebooks', async () => {
    const s = await prScenario();
    s.repo.write({ [`${NB}/other/README.md`]: page({ Goals: 'later' }).replace('id: page-landscapes', 'id: page-other') });
    const later = await s.repo.commit('another page');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.pages).toEqual({
      'page-landscapes': { last_changed: '2024-11-27T12:00:00Z', commit: s.head },
      'page-other': { last_changed: '2024-11-27T13:00:00Z', commit: later },
    });
    expect(history.notebooks).toEqual({ 'nb-ai-art': { last_changed: '2024-11-27T13:00:00Z', commit: later } });
  });

  it('gives last-changed dates for Org notebooks and pages (README.org) too', async () => {
    const s = await prScenario();
    s.repo.write({ [`${NB}/org-page/README.org`]: '#+TITLE: An Org page\n#+ID: page-org\n\n* Goals\nlater\n' });
    const later = await s.repo.commit('an Org page');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.pages['page-org']).toEqual({ last_changed: '2024-11-27T13:00:00Z', commit: later });
  });

  it('is deterministic and reuses the per-commit cache: one new commit, one commit read', async () => {
    const s = await prScenario();
    const first = await computeHistory(s.repo.dir);
    expect(first.stats).toEqual({ commits: 2, computed: 2 });
    await writeHistoryIndex(s.repo.dir);
    const bytes = fs.readFileSync(path.join(s.repo.dir, '.lab', 'history.json'), 'utf8');
    const again = await computeHistory(s.repo.dir);
    expect(again.stats.computed).toBe(0);
    fs.rmSync(path.join(s.repo.dir, '.lab'), { recursive: true });
    await writeHistoryIndex(s.repo.dir);
    expect(fs.readFileSync(path.join(s.repo.dir, '.lab', 'history.json'), 'utf8')).toBe(bytes);
    s.repo.write({ [`${ENTRIES}/006-dawn.md`]: entry({ id: 'entry-dawn', title: 'Dawn idea', parameters: { seed: 7 } }) });
    const next = await s.repo.commit('dawn seed 7');
    const after = await computeHistory(s.repo.dir);
    expect(after.stats).toEqual({ commits: 3, computed: 1 });
    expect(after.history.entries['entry-dawn']![0]).toMatchObject({ commit: next, changes: ['parameters.seed: 6 → 7'] });
  });

  it('counts a merge only for files that differ from every parent', async () => {
    const s = await prScenario();
    await s.repo.checkout('main');
    s.repo.write({ [`${ENTRIES}/010-main.md`]: entry({ id: 'entry-main', title: 'Main work' }) });
    const onMain = await s.repo.commit('work on main');
    const merge = await git.merge({
      fs,
      dir: s.repo.dir,
      theirs: 'feature',
      author: { name: 'Ada Lovelace', email: 'ada@example.org', timestamp: 1_800_000_000, timezoneOffset: 0 },
    });
    await git.checkout({ fs, dir: s.repo.dir, ref: 'main' });
    const { history } = await computeHistory(s.repo.dir);
    expect(history.head).toBe(merge.oid);
    expect(history.entries['entry-sunset']!.map((i) => i.commit)).toEqual([s.head, s.base]);
    expect(history.entries['entry-main']!.map((i) => i.commit)).toEqual([onMain]);
  });

  it('is empty outside a repository and before the first commit', async () => {
    const plain = tempDir('lab-nogit-');
    fs.mkdirSync(path.join(plain, 'content', 'notebooks'), { recursive: true });
    await writeHistoryIndex(plain);
    expect(readHistory(plain)).toEqual({ version: 1, head: null, entries: {}, pages: {}, notebooks: {} });
    const repo = await makeRepo();
    await writeHistoryIndex(repo.dir);
    expect(readHistory(repo.dir).head).toBeNull();
  });

  it('reports a version that does not parse instead of losing the entry', async () => {
    const s = await prScenario();
    s.repo.write({ [`${ENTRIES}/006-dawn.md`]: '---\nid: entry-dawn\ntitle: [broken\n---\n' });
    const broken = await s.repo.commit('oops');
    const { history } = await computeHistory(s.repo.dir);
    expect(history.entries['entry-dawn']![0]!.commit).toBe(broken);
    expect(history.entries['entry-dawn']![0]!.changes[0]).toMatch(/^file could not be read: line \d+: malformed YAML/);
  });
});

describe('lab history', () => {
  it('prints the commits of an entry given by id or by path', async () => {
    const s = await prScenario();
    let out = '';
    const code = await main(['-C', s.repo.dir, 'history', 'entry-sunset'], { out: (t) => (out += `${t}\n`) });
    expect(code).toBe(0);
    expect(out).toContain('History of entry-sunset (2 commits, newest first)');
    expect(out).toContain(`${s.head.slice(0, 7)}  2024-11-27 12:00Z  Ada Lovelace  cfg sweep: re-run at cfg 8, portrait seed variation`);
    expect(out).toContain('    parameters.cfg: 7.5 → 8');
    let byPath = '';
    await main(['-C', s.repo.dir, 'history', `${ENTRIES}/003-fog-study.md`, '--json'], { out: (t) => (byPath += t) });
    const data = JSON.parse(byPath);
    expect(data.id).toBe('entry-fog');
    expect(data.items).toHaveLength(2);
  });

  it('shows uncommitted changes to the entry first', async () => {
    const s = await prScenario();
    s.repo.write({ [`${ENTRIES}/001-sunset.md`]: s.repo.read(`${ENTRIES}/001-sunset.md`).replace('cfg: 8', 'cfg: 9') });
    let out = '';
    await main(['-C', s.repo.dir, 'history', 'entry-sunset', '--limit', '1'], { out: (t) => (out += `${t}\n`) });
    expect(out).toContain('uncommitted changes\n    parameters.cfg: 8 → 9\n');
    expect(out).toContain('… 1 older commit (use --limit)');
    let json = '';
    await main(['-C', s.repo.dir, 'history', 'entry-sunset', '--json'], { out: (t) => (json += t) });
    expect(JSON.parse(json)).toMatchObject({ id: 'entry-sunset', uncommitted: ['parameters.cfg: 8 → 9'] });
  });

  it('explains an unknown entry', async () => {
    const s = await prScenario();
    let err = '';
    const code = await main(['-C', s.repo.dir, 'history', 'entry-nope'], { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(1);
    expect(err).toContain("no entry 'entry-nope' in the committed history");
  });
});

describe('linked worktrees', () => {
  it('read HEAD from the worktree and objects and refs from the main repository', async () => {
    const s = await prScenario();
    const wt = tempDir('lab-wt-');
    fs.rmSync(wt, { recursive: true });
    execFileSync('git', ['-C', s.repo.dir, 'worktree', 'add', '-q', wt, 'main']);
    const { diff } = await diffJournal(wt, 'main..feature');
    expect(diff.head.commit).toBe(s.head);
    expect(diff.entries.length).toBe(5);
    const { history } = await computeHistory(wt);
    expect(history.head).toBe(s.base);
    expect(history.entries['entry-sunset']!.map((i) => i.commit)).toEqual([s.base]);
  });
});
