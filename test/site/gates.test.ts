/**
 * The site's quality gates (scripts/check-site.ts), as CI runs them: the sample journal in
 * content/ and a generated journal are built; every page of both passes html-validate's standard
 * preset with 0 errors; axe-core finds no violation of impact moderate or worse on one page per
 * template (and per kind of content) in light and dark; no notebook, page or entry view of the
 * sample is wider than a 390 px phone, nor any notebook or page view of the generated journal.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  axeCheck,
  CHROMIUM,
  formatProblem,
  htmlFiles,
  launchChromium,
  overflowCheck,
  pagePath,
  templatePages,
  validateHtml,
  viewPages,
} from '../../scripts/check-site.ts';
import { generateJournal } from '../../scripts/generate-journal.ts';
import { type StaticServer, serveStatic } from './static-server.ts';

const repoDir = path.resolve(import.meta.dirname, '../..');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`site gate tests need Chromium at ${CHROMIUM} (CI=true: not skipping)`);

/** The environment without what vitest (a Vite app) sets, which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

function build(root: string): string {
  const out = path.join(root, 'dist');
  const built = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', root, 'build', '--out', out, '--quiet'], {
    cwd: repoDir,
    env: { ...cleanEnv(), LAB_BASE: '/', LAB_SITE: 'https://lab.example.org' },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build of ${root} exited ${built.status}\n${built.stderr}\n${built.stdout}`);
  return out;
}

let work: string;
let sample: string;
let generated: string;
let browser: Browser;
let servers: StaticServer[] = [];

describe.skipIf(!haveChromium && !process.env.CI)('site gates', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'lab-gates-'));
    const sampleRoot = path.join(work, 'sample');
    for (const part of ['content', 'lab', 'lab.config.yaml']) {
      if (existsSync(path.join(repoDir, part))) cpSync(path.join(repoDir, part), path.join(sampleRoot, part), { recursive: true });
    }
    const generatedRoot = path.join(work, 'generated');
    await generateJournal(generatedRoot, { entries: 240, pages: 8, notebooks: 2, images: 12 });
    sample = build(sampleRoot);
    generated = build(generatedRoot);
    browser = await launchChromium();
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test.each([['sample'], ['generated']])('html-validate (standard preset): 0 errors on every page of the %s journal', async (which) => {
    const dir = which === 'sample' ? sample : generated;
    const { pages, errors } = await validateHtml(dir);
    expect(pages).toBeGreaterThan(which === 'sample' ? 50 : 250);
    expect(errors.map(formatProblem)).toEqual([]);
  });

  test('axe: no moderate or worse violation on one page per template and kind of content, light and dark', async () => {
    const server = await serveStatic(sample, '/');
    servers.push(server);
    const pages = templatePages(htmlFiles(sample), sample);
    // Every template, and the content kinds the sample has: runs + charts, gallery, notebook, CSV, SQL, lineage.
    expect(pages.length).toBeGreaterThanOrEqual(14);
    expect((await axeCheck(browser, server.url, pages.map(pagePath))).map(formatProblem)).toEqual([]);
  });

  test('390 px: no notebook, page or entry view scrolls sideways', async () => {
    const server = await serveStatic(sample, '/');
    servers.push(server);
    const views = viewPages(htmlFiles(sample));
    expect(views.length).toBeGreaterThan(50);
    expect((await overflowCheck(browser, server.url, views)).map(formatProblem)).toEqual([]);
    const gen = await serveStatic(generated, '/');
    servers.push(gen);
    const genViews = viewPages(htmlFiles(generated)).filter((p) => !p.startsWith('entries/'));
    expect((await overflowCheck(browser, gen.url, genViews)).map(formatProblem)).toEqual([]);
  });
});
