/**
 * A page of 1,200 entries (a generated journal: one notebook, one page) built for real: its
 * timeline, grid and runs rows are cut into parts of ENTRIES_PER_PART linked by rel=prev/next and
 * a pagination nav, every entry is in exactly one part, each part's HTML stays under a bound, the
 * lineage graph draws at most PAGE_GRAPH_MAX boxes, and the parts pass html-validate, axe-core
 * (light and dark) and the 390 px check. Screenshots go to test-results/screenshots/bigpage-*.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeCheck, CHROMIUM, formatProblem, htmlFiles, launchChromium, overflowCheck, validateHtml } from '../../scripts/check-site.ts';
import { generateJournal } from '../../scripts/generate-journal.ts';
import { PAGE_GRAPH_MAX } from '../../src/site/lineage-collapse.ts';
import { ENTRIES_PER_PART } from '../../src/site/paginate.ts';
import { type StaticServer, serveStatic } from './static-server.ts';

const repoDir = path.resolve(import.meta.dirname, '../..');
const shots = path.join(repoDir, 'test-results', 'screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`big page tests need Chromium at ${CHROMIUM} (CI=true: not skipping)`);

const ENTRIES = 1200;
const PARTS = Math.ceil(ENTRIES / ENTRIES_PER_PART);
const PAGE = 'pages/page-0/';
const NOTEBOOK = 'notebooks/nb-notebook-000/';
/**
 * Bytes of HTML a later part may take. Measured: ≈ 8 KB of frame (header, breadcrumb, footer) and
 * ≈ 2.6 KB per entry (timeline item ≈ 0.75 KB, grid card ≈ 0.8 KB, runs row ≈ 1 KB), 135 KB at
 * 50 entries; the bound leaves 20 % for longer titles, and fails if a part grows by ten entries.
 */
const PART_BYTES = 165_000;
/**
 * Part 1 also has the narrative, insights and the lineage graph (≤ PAGE_GRAPH_MAX boxes of
 * ≈ 0.7 KB): 225 KB measured without the charts, which src/site/charts.ts bounds on its own
 * (an even sample of at most MAX_POINTS points each).
 */
const FIRST_PART_BYTES = 300_000;

/** The environment without what vitest (a Vite app) sets, which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

let work: string;
let dist: string;
let browser: Browser;
let server: StaticServer;

const read = (urlPath: string) => readFileSync(path.join(dist, urlPath.replace(/^\//, ''), 'index.html'), 'utf8');
/** The HTML between the opening tag that contains `start` and the end of its section. */
const section = (html: string, start: string) => {
  const i = html.indexOf(start);
  return i < 0 ? '' : html.slice(i, html.indexOf('</section>', i));
};
const entryLinks = (html: string) => [...html.matchAll(/href="\/entries\/([^/"]+)\/"/g)].map((m) => m[1]!);
const linkRel = (html: string, rel: string) => html.match(new RegExp(`<link rel="${rel}" href="([^"]+)"`))?.[1] ?? null;

describe.skipIf(!haveChromium && !process.env.CI)(`a page of ${ENTRIES} entries`, { timeout: 360_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'lab-bigpage-'));
    await generateJournal(work, { entries: ENTRIES, pages: 1, notebooks: 1 });
    dist = path.join(work, 'dist');
    const built = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', work, 'build', '--out', dist, '--quiet'], {
      cwd: repoDir,
      env: { ...cleanEnv(), LAB_BASE: '/', LAB_SITE: 'https://lab.example.org' },
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`build exited ${built.status}\n${built.stderr}\n${built.stdout}`);
    browser = await launchChromium();
    server = await serveStatic(dist, '/');
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test(`${PARTS} parts linked by rel=prev/next and the pagination nav; every entry in exactly one, in its timeline, grid and runs rows`, () => {
    const later = readdirSync(path.join(dist, PAGE), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^\d+$/.test(d.name))
      .map((d) => Number(d.name))
      .sort((a, b) => a - b);
    expect(later).toEqual(Array.from({ length: PARTS - 1 }, (_, i) => i + 2));

    const all = readdirSync(path.join(dist, 'entries'));
    expect(all).toHaveLength(ENTRIES);
    const seen: string[] = [];
    let url: string | null = `/${PAGE}`;
    let prev: string | null = null;
    let n = 0;
    while (url) {
      n++;
      const html = read(url);
      expect(linkRel(html, 'prev')).toBe(prev);
      const timeline = entryLinks(section(html, 'id="view-timeline"'));
      expect(timeline.length).toBe(n < PARTS ? ENTRIES_PER_PART : ENTRIES - (PARTS - 1) * ENTRIES_PER_PART);
      // The grid shows the same entries; the runs table the rows of the same entries.
      expect(new Set(entryLinks(section(html, 'id="view-grid"')))).toEqual(new Set(timeline));
      expect(new Set([...html.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]))).toEqual(new Set(timeline));
      // The nav: labelled, the current part marked, prev/next as links where they exist.
      const nav = html.slice(html.indexOf('<nav class="pagination" aria-label="Entries, top">'));
      expect(nav).toMatch(new RegExp(`aria-current="page" aria-label="Page ${n} of ${PARTS}"`));
      expect(nav.slice(0, nav.indexOf('</nav>')).includes('rel="next"')).toBe(n < PARTS);
      // Only part 1 is a search record; later parts would repeat the page in the results.
      expect(html.includes('data-pagefind-body')).toBe(n === 1);
      seen.push(...timeline);
      prev = url;
      url = linkRel(html, 'next');
    }
    expect(n).toBe(PARTS);
    expect(seen).toHaveLength(ENTRIES);
    expect(new Set(seen)).toEqual(new Set(all));
  });

  test('each part stays small: later parts under PART_BYTES, part 1 without its charts under FIRST_PART_BYTES', () => {
    const sizes = Array.from({ length: PARTS }, (_, i) => Buffer.byteLength(read(i === 0 ? `/${PAGE}` : `/${PAGE}${i + 1}/`)));
    for (const s of sizes.slice(1)) expect(s).toBeLessThan(PART_BYTES);
    const first = read(`/${PAGE}`);
    const charts = [...first.matchAll(/<figure class="chart [\s\S]*?<\/figure>/g)].reduce((s, m) => s + Buffer.byteLength(m[0]), 0);
    expect(sizes[0]! - charts).toBeLessThan(FIRST_PART_BYTES);
    // The notebook's runs table (one row per entry) is cut the same way.
    const nb = readdirSync(path.join(dist, NOTEBOOK)).filter((d) => /^\d+$/.test(d));
    expect(nb).toHaveLength(PARTS - 1);
    for (const d of nb) expect(Buffer.byteLength(read(`/${NOTEBOOK}${d}/`))).toBeLessThan(PART_BYTES);
  });

  test(`the lineage graph draws at most ${PAGE_GRAPH_MAX} boxes; the folded ones count every other entry`, () => {
    const graph = section(read(`/${PAGE}`), 'id="view-lineage"');
    const boxes = graph.match(/<g class="node/g) ?? [];
    expect(boxes.length).toBeGreaterThan(PAGE_GRAPH_MAX / 2);
    expect(boxes.length).toBeLessThanOrEqual(PAGE_GRAPH_MAX);
    const folded = [...graph.matchAll(/<g class="node[^"]*cluster/g)].length;
    const counts = [...graph.matchAll(/<title>\+(\d+) more /g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(folded);
    expect(boxes.length - folded + counts.reduce((a, b) => a + b, 0)).toBe(ENTRIES);
    // Later parts link to it instead of drawing it again.
    expect(section(read(`/${PAGE}2/`), 'id="view-lineage"')).toContain(`href="/${PAGE}#view-lineage"`);
  });

  test('html-validate: 0 errors on every part of the page and the notebook', async () => {
    const files = htmlFiles(dist).filter((f) => f.startsWith(PAGE) || f.startsWith(NOTEBOOK));
    expect(files).toHaveLength(2 * PARTS);
    const { errors } = await validateHtml(dist, files);
    expect(errors.map(formatProblem)).toEqual([]);
  });

  test('axe-core, light and dark: the first, a middle and the last part of the page, and of the notebook', async () => {
    const pages = [PAGE, `${PAGE}2/`, `${PAGE}${PARTS}/`, NOTEBOOK, `${NOTEBOOK}2/`];
    expect((await axeCheck(browser, server.url, pages)).map(formatProblem)).toEqual([]);
  });

  test('390 px: no part scrolls sideways; screenshots at 1280 and 390 px, light and dark', async () => {
    const pages = [PAGE, `${PAGE}2/`, `${PAGE}${PARTS}/`, NOTEBOOK, `${NOTEBOOK}2/`];
    expect((await overflowCheck(browser, server.url, pages)).map(formatProblem)).toEqual([]);
    mkdirSync(shots, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [width, tag] of [
        [1280, 'desktop'],
        [390, 'phone'],
      ] as const) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await context.newPage();
        await page.goto(`${server.url}${PAGE}2/`, { waitUntil: 'load' });
        await page.locator('nav.pagination').last().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `bigpage-part2-${tag}-${colorScheme}.png`) });
        await page.goto(`${server.url}${PAGE}#view-lineage`, { waitUntil: 'load' });
        await page.locator('figure.lineage').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `bigpage-lineage-${tag}-${colorScheme}.png`) });
        // The pagination links keep the chosen view.
        expect(await page.locator('nav.pagination a[rel="next"]').first().getAttribute('href')).toBe(`/${PAGE}2/#view-lineage`);
        await context.close();
      }
    }
  });
});
