/**
 * `lab check` knows what `lab run` knows: the same input problems, in the same
 * words, at the same line:col; `lab new entry` and `lab variation` write inputs
 * that check cleanly; lab.config.yaml is validated; core stays below the layers
 * that feed it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile as compileCore } from '../../src/core/compile.ts';
import { checkConfigText } from '../../src/core/config.ts';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { compile } from '../../src/sdk/journal.ts';
import { lab as labRun, makeWorkspace, PAGE } from '../runners/helpers.ts';
import { copyFixture, REPO } from './helpers.ts';

const MISTAKES = 'content/notebooks/api-checks/2026-01-05-experiments/entries';
const IMAGES = 'content/notebooks/image-generation/2026-01-05-experiments/entries';

describe('lab check and lab run --dry-run agree', () => {
  it('a run refuses each entry lab check reports, with the same message at the same line:col', async () => {
    const dir = copyFixture('real-world-mistakes');
    const checked = (await compile(dir)).diagnostics.filter((d) => d.severity === 'error' && /^(invalid-input|unknown-input|comfyui-)/.test(d.rule));
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const file of new Set(checked.map((d) => d.file))) {
      const run = await labRun(['run', file, '--dry-run'], dir);
      expect(run.code, `${file}: ${run.stdout}`).toBe(1);
      const said = (run.stderr + run.stdout).replaceAll(': error: ', ': ');
      for (const d of checked.filter((x) => x.file === file)) expect(said).toContain(`${d.file}:${d.line}:${d.column}: ${d.message}`);
    }
  });

  it('a dry run passes an entry lab check passes, placeholders and all', async () => {
    const dir = copyFixture('real-world-mistakes');
    const ok = await labRun(['run', `${IMAGES}/003-good.md`, '--dry-run'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('dry-run');
    // `${env:…}` values are checked once they are known: at run time, not by lab check.
    const withEnv = (await compile(dir)).diagnostics.filter((d) => d.file.endsWith('006-no-title.md'));
    expect(withEnv.map((d) => d.rule)).toEqual(['missing-title']);
    const run = await labRun(['run', `${MISTAKES}/006-no-title.md`, '--dry-run'], dir, { EU_HEALTH_URL: 'nope', EU_TOKEN: 'secret-token-value' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('`inputs.url` must be an absolute http:// or https:// URL (got "${env:EU_HEALTH_URL}")');
  });

  it("an input file edit re-runs the static check (memoized by the files' hashes)", async () => {
    const dir = copyFixture('real-world-mistakes');
    const before = await compile(dir);
    expect(before.diagnostics.some((d) => d.file.endsWith('001-ui-export.md') && d.rule === 'comfyui-workflow')).toBe(true);
    const api = readFileSync(path.join(dir, IMAGES, 'workflow_api.json'), 'utf8');
    writeFileSync(path.join(dir, IMAGES, 'workflow.json'), api);
    const after = await compile(dir);
    expect(after.diagnostics.filter((d) => d.file.endsWith('001-ui-export.md'))).toEqual([]);
    // A fresh process (no warm state) reads the same from the cache; then the edit is undone.
    writeFileSync(path.join(dir, IMAGES, 'workflow.json'), '{"nodes": [], "links": []}\n');
    const fresh = await labRun(['check', '--json'], dir);
    const diags = JSON.parse(fresh.stdout) as { file: string; rule: string }[];
    expect(diags.filter((d) => d.file.endsWith('001-ui-export.md')).map((d) => d.rule)).toEqual(['comfyui-workflow']);
  });
});

describe('lab new entry and lab variation', () => {
  it('refuses an unknown type with a suggestion', async () => {
    const root = await makeWorkspace();
    const r = await labRun(['new', 'entry', 'sqll', '--page', 'page-one', '--title', 'Counts'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown entry type `sqll` (did you mean `sql`?)');
    expect(readdirSync(path.join(root, 'content/notebooks/nb/page-one'))).toEqual(['README.md']);
  });

  it.each(['sql', 'http', 'command', 'jupyter', 'manual'])('writes a commented inputs skeleton for %s that parses', async (type) => {
    const root = await makeWorkspace();
    const r = await labRun(['new', 'entry', type, '--page', 'page-one', '--title', 'Skeleton', '--json'], root);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(root, JSON.parse(r.stdout).source.path), 'utf8');
    expect(text).toMatch(/^ {2}# |^# inputs:/m);
    const diags = (await compile(root)).diagnostics.filter((d) => d.severity === 'error' && d.rule !== 'missing-input');
    expect(diags.map(formatDiagnostic)).toEqual([]);
  });

  it('keeps ComfyUI node-id keys flat and quoted in new entry and variation', async () => {
    const wf = readFileSync(path.join(REPO, 'test/core/fixtures/real-world-mistakes', IMAGES, 'workflow_api.json'), 'utf8');
    const root = await makeWorkspace({ [`${PAGE}/workflow.json`]: wf });
    const r = await labRun(
      [
        'new',
        'entry',
        'comfyui',
        '--page',
        'page-one',
        '--title',
        'Dawn',
        '--input',
        'workflow=./workflow.json',
        '--param',
        '6.text=a lake at dawn',
        '--param',
        'seed=42',
        '--json',
      ],
      root,
    );
    expect(r.code, r.stderr).toBe(0);
    const entry = JSON.parse(r.stdout);
    expect(entry.inputs.parameters).toEqual({ '6.text': 'a lake at dawn', seed: 42 });
    expect(readFileSync(path.join(root, entry.source.path), 'utf8')).toContain('"6.text": a lake at dawn');
    const v = await labRun(['variation', entry.id, '--title', 'Dawn, other prefix', '--override', '9.filename_prefix=mist', '--json'], root);
    expect(v.code, v.stderr).toBe(0);
    const variation = JSON.parse(v.stdout);
    expect(variation.inputs.parameters).toEqual({ '6.text': 'a lake at dawn', seed: 42, '9.filename_prefix': 'mist' });
    expect(readFileSync(path.join(root, variation.source.path), 'utf8')).toContain('"9.filename_prefix": mist');
    // One of the type's own inputs stays an input, even when the original does not set it.
    const t = await labRun(['variation', entry.id, '--title', 'Dawn, patient', '--override', 'timeout=10m', '--json'], root);
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).inputs).toMatchObject({ timeout: '10m', parameters: { seed: 42 } });
    const check = await labRun(['check'], root);
    expect(check.stdout).toContain('no problems found');
  });
});

describe('lab.config.yaml', () => {
  it('reports wrong values and unknown settings at path:line:col', () => {
    const { diagnostics } = checkConfigText('name: Lab\nrepository: not a url\nnmae: typo\nsummarizer:\n  url: http://127.0.0.1:8000/v1\n');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'lab.config.yaml:2:1: error: `repository` must be a URL like https://github.com/me/journal (got "not a url")',
      'lab.config.yaml:3:1: warning: unknown setting `nmae` (did you mean `name`?); known settings: name, repository, default_branch, site, base, license, archive, summarizer, publish',
    ]);
  });

  it("lab check includes the config's problems", async () => {
    const root = await makeWorkspace({ 'lab.config.yaml': 'name: [unclosed\n' });
    const r = await labRun(['check'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^lab\.config\.yaml:\d+:\d+: error: malformed YAML/m);
  });
});

describe('layers', () => {
  it('src/core imports nothing above it', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
            const target = path.resolve(path.dirname(p), m[1]!);
            if (m[1]!.startsWith('.') && !target.startsWith(path.join(REPO, 'src/core'))) offenders.push(`${path.relative(REPO, p)} → ${m[1]}`);
          }
        }
      }
    };
    walk(path.join(REPO, 'src/core'));
    expect(offenders).toEqual([]);
  });

  it('the compiler alone accepts any type and leaves inputs unchecked', async () => {
    const dir = copyFixture('real-world-mistakes');
    const rules = new Set((await compileCore(dir, { write: false })).diagnostics.map((d) => d.rule));
    expect(rules.has('unknown-type')).toBe(false);
    expect(rules.has('invalid-input')).toBe(false);
    expect(rules.has('duplicate-id')).toBe(true);
  });
});
