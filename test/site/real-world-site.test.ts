/**
 * The real-world fixture journal (Org lab notebook, org-roam, Obsidian, Quartz) built into a
 * site after `lab check --fix`: every in-page link on every page has a target, every internal
 * link and asset exists, no page repeats an id, every page passes html-validate, and math arrives
 * typeset with its stylesheet.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, validateHtml } from '../../scripts/check-site.ts';
import { lab, tmpDir } from '../core/helpers.ts';

const repoDir = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(repoDir, 'test', 'core', 'fixtures', 'real-world');
let dist: string;
let pages: Map<string, string>;

/** The environment without what vitest sets (BASE_URL, MODE, NODE_ENV=test …), which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

beforeAll(async () => {
  const work = tmpDir('lab-real-site-');
  cpSync(FIXTURE, work, { recursive: true });
  const fixed = await lab(['check', '--fix'], work);
  expect(fixed.stdout + fixed.stderr).toMatch(/0 errors/);
  const built = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', work, 'build'], {
    cwd: repoDir,
    env: { ...cleanEnv(), LAB_BASE: '/journal/', LAB_SITE: 'https://example.github.io' },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build exited ${built.status}\n${built.stderr}\n${built.stdout}`);
  dist = path.join(work, 'dist');
  pages = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.html')) pages.set(path.relative(dist, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dist);
}, 300_000);

const decode = (s: string) => decodeURIComponent(s.replace(/&amp;/g, '&'));

describe('the real-world journal, built', () => {
  it('every in-page link has a target, every internal link and asset exists, no id twice', () => {
    expect(pages.size).toBeGreaterThan(20);
    const problems: string[] = [];
    let inPage = 0;
    for (const [file, html] of pages) {
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      if (ids.length !== new Set(ids).size) problems.push(`${file}: an id is used twice`);
      const idSet = new Set(ids);
      for (const m of html.matchAll(/\shref="#([^"]*)"/g)) {
        inPage++;
        if (m[1] && !idSet.has(decode(m[1]))) problems.push(`${file}: #${m[1]} has no target`);
      }
      for (const m of html.matchAll(/\s(?:href|src)="\/journal\/([^"#?]*)(?:#([^"]*))?/g)) {
        const rel = decode(m[1]!);
        const target = path.join(dist, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel);
        if (!existsSync(target)) problems.push(`${file}: /journal/${m[1]} does not exist`);
        else if (m[2] && !readFileSync(target, 'utf8').includes(` id="${decode(m[2])}"`)) problems.push(`${file}: /journal/${m[1]}#${m[2]} has no target`);
      }
    }
    expect(problems).toEqual([]);
    expect(inPage).toBeGreaterThan(30);
  });

  it('html-validate (standard preset): 0 errors on every page, embedded notes and tag links included', async () => {
    const digest = pages.get('entries/entry-9d3b1f7a2c64/index.html')!;
    expect(digest.match(/<div class="transclude">/g)).toHaveLength(3);
    const { pages: checked, errors } = await validateHtml(dist);
    expect(checked).toBe(pages.size);
    expect(errors.map(formatProblem)).toEqual([]);
  });

  it("math is typeset, with KaTeX's stylesheet and fonts; attachments are published", () => {
    const trial = pages.get('pages/9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90/index.html')!;
    expect(trial).toContain('<span class="katex-display">');
    const css = [...trial.matchAll(/<link rel="stylesheet" href="\/journal\/(_astro\/[^"]+\.css)">/g)]
      .map((m) => readFileSync(path.join(dist, m[1]!), 'utf8'))
      .join('\n');
    expect(css).toContain('.katex');
    expect(css).toContain('.callout');
    expect(readdirSync(path.join(dist, '_astro')).some((f) => /^KaTeX_Main-Regular.*\.woff2$/.test(f))).toBe(true);
    expect(trial).toMatch(/<img src="\/journal\/files\/[0-9a-f]{64}\/gel\.png"/);
    // No script from the journal: the page's scripts are the site's own.
    expect(trial).not.toContain('cdn.example.org/mathjax.js');
  });
});
