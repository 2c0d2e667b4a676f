/**
 * The built site in a real browser: builds the fixture journal (test/site/fixtures/journal, copied
 * to a temp git repository with two commits) with LAB_BASE=/journal/, serves dist/ under /journal/
 * on 127.0.0.1 and drives headless Chromium through it. Screenshots of the main views go to
 * test-results/screenshots/ for review.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type StaticServer, serveStatic } from './static-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoDir = path.resolve(import.meta.dirname, '../..');
const shots = path.join(repoDir, 'test-results', 'screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`site tests need Chromium at ${CHROMIUM} (CI=true: not skipping)`);

let work: string;
let server: StaticServer;
let browser: Browser;
const problems: string[] = [];

function git(args: string[]) {
  execFileSync('git', args, {
    cwd: work,
    stdio: 'pipe',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada Tester',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada Tester',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
    },
  });
}

/** The environment without what vitest (a Vite app) sets — BASE_URL, MODE, NODE_ENV=test… — which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

function build(...flags: string[]): string {
  const built = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', work, 'build', ...flags], {
    cwd: repoDir,
    env: { ...cleanEnv(), LAB_BASE: '/journal/', LAB_SITE: 'https://example.github.io' },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`lab build exited ${built.status}\n${built.stderr}\n${built.stdout}`);
  return built.stdout;
}
let firstBuild = '';

async function open(p: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog opened on ${page.url()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(server.url + p, { waitUntil: 'networkidle' });
  return page;
}

describe.skipIf(!haveChromium && !process.env.CI)('static site in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'lab-site-'));
    cpSync(path.join(import.meta.dirname, 'fixtures', 'journal'), work, { recursive: true });
    git(['init', '-q', '-b', 'main']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'Start the fixture journal']);
    const file = path.join(work, 'content/notebooks/ai-art/landscapes/entries/002-sunset-cfg9.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Colours got oversaturated', 'Colours got clearly oversaturated'));
    git(['commit', '-q', '-am', 'Sharpen the CFG 9 notes']);
    firstBuild = build();
    expect(firstBuild).toContain('4 thumbnails made');
    server = await serveStatic(path.join(work, 'dist'), '/journal/');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('home → notebook → page → entry', async () => {
    const page = await open('');
    await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });
    expect(await page.locator('h1').textContent()).toBe('Fixture Lab');
    await page
      .getByRole('link', { name: /AI Art Production/ })
      .first()
      .click();
    await page.waitForURL(/\/journal\/notebooks\/nb-ai-art\/$/);
    expect(await page.locator('h1').textContent()).toBe('AI Art Production');
    await page.screenshot({ path: path.join(shots, 'notebook.png'), fullPage: true });
    await page.locator('ul.list').getByRole('link', { name: 'Landscape Generation Experiments' }).click();
    await page.waitForURL(/\/journal\/pages\/page-landscapes\/$/);
    await expect.poll(() => page.locator('#n-hypothesis').textContent()).toBe('Hypothesis');
    await page.getByRole('link', { name: 'Sunset with higher CFG' }).first().click();
    await page.waitForURL(/\/journal\/entries\/entry-sunset-cfg9\/$/);
    expect(await page.locator('h1').textContent()).toBe('Sunset with higher CFG');
    // The breadcrumb leads back up, the changed parameter is highlighted, git history is shown.
    expect(await page.locator('nav.breadcrumb li').allTextContents()).toEqual([
      'Notebooks',
      'AI Art Production',
      'Landscape Generation Experiments',
      'Sunset with higher CFG',
    ]);
    expect(await page.locator('tr.changed code').first().textContent()).toBe('parameters.cfg');
    expect(await page.locator('tr.changed .was').first().textContent()).toBe('parent: 7.5');
    expect(await page.locator('ol.history li').count()).toBe(2);
    expect(await page.locator('ol.history').textContent()).toContain('Sharpen the CFG 9 notes');
    const img = page.locator('.gallery img').first();
    expect(await img.getAttribute('width')).toBe('400');
    expect(await img.getAttribute('loading')).toBe('lazy');
    await page.screenshot({ path: path.join(shots, 'entry.png'), fullPage: true });
    await page.close();
  });

  test('entry shows execution, JSON/CSV previews, logs and Org notes', async () => {
    const page = await open('entries/entry-temperatures/');
    expect(await page.locator('.files table tr').count()).toBe(4);
    expect(await page.locator('.files table td').first().textContent()).toBe('Oslo');
    await page.goto(server.url + 'entries/entry-api-status/');
    expect(await page.locator('.files pre').textContent()).toContain('"latency_ms": 41');
    await page.goto(server.url + 'entries/entry-sunset-base/');
    const log = page.locator('details').first();
    expect(await log.getAttribute('open')).toBeNull();
    await log.locator('summary').click();
    expect(await log.locator('pre').textContent()).toContain('progress 100%');
    await page.goto(server.url + 'entries/entry-portrait/');
    expect(await page.locator('.error-box').textContent()).toBe('CUDA out of memory');
    await page.goto(server.url + 'entries/entry-org-notes/');
    // An Org headline sits under the entry page's "Notes" heading (h2), with a permalink.
    expect(await page.locator('.prose h1').count()).toBe(0);
    expect(await page.locator('.prose h3').first().textContent()).toBe('Summary #');
    expect(await page.locator('.prose h3 a.heading-anchor').first().getAttribute('href')).toBe('#user-content-summary');
    expect(await page.locator('.prose em').textContent()).toBe('italic');
    await page.close();
  });

  test('page views switch, and the lineage graph links to entries', async () => {
    const page = await open('pages/page-landscapes/');
    const panel = (v: string) => page.locator(`[data-view-panel="${v}"]`);
    expect(await panel('timeline').isVisible()).toBe(true);
    expect(await panel('grid').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Grid' }).click();
    expect(await panel('grid').isVisible()).toBe(true);
    expect(await panel('timeline').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Grid' }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'page-grid.png'), fullPage: true });
    await page.getByRole('button', { name: 'Lineage' }).click();
    expect(await panel('lineage').locator('svg').first().isVisible()).toBe(true);
    expect(await panel('lineage').locator('path.edge.variation_of').count()).toBe(2);
    expect(await panel('lineage').locator('path.edge.derives_from').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'page-lineage.png'), fullPage: true });
    await panel('lineage')
      .getByRole('link', { name: /Portrait orientation/ })
      .click();
    await page.waitForURL(/entries\/entry-portrait\/$/);
    // On the entry, its own node is highlighted and its parent is one click away.
    expect(await page.locator('.lineage .node.current').count()).toBe(1);
    await page
      .locator('.lineage')
      .getByRole('link', { name: /Sunset with another seed/ })
      .click();
    await page.waitForURL(/entries\/entry-sunset-seed7\/$/);
    await page.close();
  });

  test('the lineage graph works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url + 'pages/page-landscapes/');
    expect(await page.locator('[data-view-panel="lineage"] svg a').count()).toBe(5);
    await page
      .locator('[data-view-panel="lineage"]')
      .getByRole('link', { name: /Sunset with higher CFG/ })
      .click();
    await page.waitForURL(/entries\/entry-sunset-cfg9\/$/);
    await context.close();
  });

  test('comparison: changed parameters, metric deltas, images and slider', async () => {
    const page = await open('entries/entry-sunset-cfg9/');
    await page.getByRole('link', { name: 'Compare with parent' }).click();
    await page.waitForURL(/compare\/\?id=entry-sunset-base&id=entry-sunset-cfg9$/);
    await page.locator('#slider').waitFor();
    expect(await page.locator('#c-params + .table-wrap tbody tr').count()).toBe(1);
    expect(await page.locator('#c-params + .table-wrap tbody tr td').allTextContents()).toEqual(['parameters.cfg', '7.5', '9']);
    expect(await page.locator('#c-metrics + .table-wrap').textContent()).toContain('(−0.700, -11.5%)');
    expect(await page.locator('.image-grid img').count()).toBe(2);
    const range = page.getByRole('slider', { name: /Reveal A/ });
    await range.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    expect(await page.locator('#slider').evaluate((el) => (el as HTMLElement).style.getPropertyValue('--pos'))).toBe('60%');
    const box = (await page.locator('#slider').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.up();
    expect(await range.inputValue()).toBe('25');
    await page.screenshot({ path: path.join(shots, 'compare.png'), fullPage: true });
    await page.close();
  });

  test('runs table: best run named with its margin, charts, sorting, and picking runs to compare', async () => {
    const page = await open('pages/page-landscapes/');
    // Above the narrative: which run won, and by how much.
    const winners = page.locator('.winners');
    expect(await winners.textContent()).toContain(
      'Best aesthetic (higher is better): Sunset with another seed 6.80 — ahead of Initial SDXL sunset test (6.10) by 0.700 (11.5%)',
    );
    expect(
      await page.locator('.runs').evaluate((el) => el.compareDocumentPosition(document.querySelector('.narrative')!) & Node.DOCUMENT_POSITION_FOLLOWING),
    ).toBeTruthy();
    expect(await page.locator('.chart svg[role="img"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.runs-table td.best').first().textContent()).toContain('best');
    const aesthetic = page.locator('.runs-table th', { hasText: 'aesthetic' });
    await aesthetic.getByRole('button').click();
    expect(await aesthetic.getAttribute('aria-sort')).toBe('ascending');
    await aesthetic.getByRole('button').click();
    expect(await aesthetic.getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('.runs-table tbody tr').first().locator('td').nth(1).textContent()).toBe('Sunset with another seed');
    await page.getByRole('checkbox', { name: 'Compare Initial SDXL sunset test' }).check();
    await page.getByRole('checkbox', { name: 'Compare Sunset with another seed' }).check();
    await page.getByRole('checkbox', { name: 'Compare Sunset with higher CFG' }).check();
    await page.getByRole('button', { name: /Compare selected/ }).click();
    await page.waitForURL(/compare\/\?id=entry-/);
    await page.locator('.compare-cards .panel').nth(2).waitFor();
    expect(await page.locator('.compare-cards .panel').count()).toBe(3);
    const csv = await (await fetch(server.url + 'runs/page-landscapes.csv')).text();
    expect(csv.split('\n')[0]).toContain('aesthetic');
    await page.close();
  });

  test('images open in a lightbox: arrows move, Escape returns to the page', async () => {
    const page = await open('entries/entry-sunset-cfg9/');
    const thumb = page.locator('.gallery a.img').first();
    await thumb.click();
    const dialog = page.getByRole('dialog', { name: 'Image viewer' });
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('img').getAttribute('src')).toMatch(/\/journal\/blobs\//);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('button', { name: 'Actual size' }).click();
    expect(await page.getByRole('button', { name: 'Actual size' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('img'))).toBe(true);
    await page.close();
  });

  test('search finds a word from one entry’s notes, and filters narrow results', async () => {
    const page = await open('search/?q=zanzibarite');
    await expect.poll(() => page.locator('#results li').count()).toBe(1);
    expect(await page.locator('#results h3 a').textContent()).toBe('Sunset with higher CFG');
    expect(await page.locator('#results h3 a').getAttribute('href')).toBe('/journal/entries/entry-sunset-cfg9/');
    expect(await page.locator('#results img').getAttribute('src')).toMatch(/^\/journal\/thumbs\/[0-9a-f]{64}-400\.webp$/);
    await page.locator('#q').fill('sunset');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^[4-9] results/);
    await page.locator('input[name="kind"][value="page"]').check();
    await expect.poll(() => page.locator('#results li').count()).toBe(1);
    expect(await page.locator('#results h3 a').textContent()).toBe('Landscape Generation Experiments');
    expect(page.url()).toContain('kind=page');
    await page.locator('input[name="kind"][value="page"]').uncheck();
    await page.locator('input[name="tag"][value="seed"]').check();
    await expect.poll(() => page.locator('#results li').count()).toBe(1);
    expect(await page.locator('#results h3 a').textContent()).toBe('Sunset with another seed');
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });
    // Filters without words, from the URL.
    await page.goto(server.url + 'search/?type=http');
    // A fresh page loads Pagefind again: on a busy machine that takes more than the default second.
    await expect.poll(() => page.locator('#results li').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#results h3 a').textContent()).toBe('Status endpoint');
    await page.goto(server.url + 'search/?status=failed&sort=desc');
    await expect.poll(() => page.locator('#results li').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#results h3 a').textContent()).toBe('Portrait orientation');
    await page.close();
  });

  test('search merges one bundle per notebook: entries come from the shards, dates sort across them', async () => {
    const manifest = JSON.parse(readFileSync(path.join(work, 'dist', 'pagefind', 'shards.json'), 'utf8')) as { shards: string[] };
    expect(manifest.shards).toEqual(['shards/nb-ai-art/', 'shards/nb-data/']);
    // A merged bundle carries its index only: the code and WebAssembly come from the main one.
    expect(readdirSync(path.join(work, 'dist', 'pagefind', 'shards', 'nb-data')).sort()).toEqual([
      'filter',
      'fragment',
      'index',
      'pagefind-entry.json',
      expect.stringMatching(/^pagefind\.en_[0-9a-f]+\.pf_meta$/),
    ]);
    const fetched: string[] = [];
    const page = await browser.newPage();
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}search/?q=temperature`, { waitUntil: 'networkidle' });
    await expect.poll(() => page.locator('#results h3 a').allTextContents(), { timeout: 10_000 }).toEqual(['Temperature table']);
    expect(await page.locator('#results h3 a').getAttribute('href')).toBe('/journal/entries/entry-temperatures/');
    expect(fetched.filter((p) => p.startsWith('/journal/pagefind/shards/nb-data/fragment/'))).not.toEqual([]);
    // Newest first across the two notebooks' bundles (each bundle alone knows only its own order).
    const byDate = [
      'Temperature table',
      'Status endpoint',
      'Hostile notes',
      'Notes in Org',
      'Portrait orientation',
      'Sunset with another seed',
      'Sunset with higher CFG',
      'Initial SDXL sunset test',
    ];
    await page.goto(`${server.url}search/?kind=entry&sort=desc`);
    await expect.poll(() => page.locator('#results h3 a').allTextContents(), { timeout: 10_000 }).toEqual(byDate);
    await page.goto(`${server.url}search/?kind=entry&sort=asc`);
    await expect.poll(() => page.locator('#results h3 a').allTextContents(), { timeout: 10_000 }).toEqual([...byDate].reverse());
    expect(await page.locator('#status').textContent()).toBe('8 results');
    await page.close();
  });

  test('content cannot run script', async () => {
    const page = await open('entries/entry-hostile/');
    expect(await page.locator('.prose').textContent()).toContain('Text after the hostile markup.');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const html = await page.content();
    expect(html).not.toMatch(/\son(error|click)=|href="javascript:|__pwned = 'script'/);
    const link = page.getByRole('link', { name: 'click me' });
    if (await link.count()) await link.click();
    await page.locator('.prose').getByText('onclick link').click();
    await page.goto(server.url + 'pages/page-safety/');
    await page.goto(server.url + 'tags/');
    await page.getByRole('link', { name: /#<script>/ }).click();
    expect(await page.locator('h1').textContent()).toBe("#<script>alert('tag')</script>");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(problems.filter((p) => p.startsWith('dialog'))).toEqual([]);
    await page.close();
  });

  test('works on a phone; keyboard users see focus; images and controls are named', async () => {
    const page = await open('entries/entry-sunset-seed7/', 390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(shots, 'entry-phone.png'), fullPage: true });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    for (const p of ['', 'pages/page-landscapes/', 'entries/entry-sunset-seed7/', 'search/', 'compare/?a=entry-sunset-base&b=entry-sunset-seed7']) {
      await page.goto(server.url + p, { waitUntil: 'networkidle' });
      const unnamed = await page.evaluate(() => {
        const bad: string[] = [];
        for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) bad.push(`img ${img.getAttribute('src')}`);
        for (const el of document.querySelectorAll('input, select, button')) {
          const e = el as HTMLInputElement;
          const named = e.labels?.length || e.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent?.trim());
          if (!named && e.type !== 'hidden') bad.push(`${el.tagName} ${e.name || e.id}`);
        }
        for (const img of document.querySelectorAll('main img')) {
          if (!img.getAttribute('width') || !img.getAttribute('height')) bad.push(`size of ${img.getAttribute('src')}`);
        }
        return bad;
      });
      expect(unnamed, p).toEqual([]);
    }
    await page.close();
    const dark = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    await dark.goto(server.url + 'pages/page-landscapes/', { waitUntil: 'networkidle' });
    const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(17, 18, 20)');
    await dark.screenshot({ path: path.join(shots, 'page-dark.png'), fullPage: true });
    await dark.close();
  });

  test('crawl: no broken internal link or asset, 404 page for unknown paths', async () => {
    const seen = new Set<string>();
    const queue = [server.url];
    const broken: string[] = [];
    const origin = new URL(server.url).origin;
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(url);
      if (res.status !== 200) {
        broken.push(`${res.status} ${url}`);
        continue;
      }
      if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      const html = await res.text();
      for (const m of html.matchAll(/\s(?:href|src)="([^"#]*)(?:#[^"]*)?"/g)) {
        const raw = m[1]!.replaceAll('&amp;', '&');
        if (!raw || /^(mailto|data|javascript):/.test(raw)) continue;
        const next = new URL(raw, url);
        if (next.origin !== origin) continue;
        if (!next.pathname.startsWith('/journal/')) {
          broken.push(`outside base: ${next.pathname} (from ${url})`);
          continue;
        }
        if (!seen.has(next.href)) queue.push(next.href);
      }
    }
    expect(broken).toEqual([]);
    expect(seen.size).toBeGreaterThan(40);
    const api = await (await fetch(server.url + 'api/entries/entry-sunset-cfg9/lineage.json')).json();
    expect(api.ancestors.map((a: { id: string }) => a.id)).toEqual(['entry-sunset-base']);
    const missing = await fetch(server.url + 'no/such/page/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Nothing here');
  }, 120_000);

  test('no console errors anywhere we went', () => {
    expect(problems).toEqual([]);
  });

  test('a second build with no change makes no thumbnail and the same pages', () => {
    const page = (rel: string) => readFileSync(path.join(work, 'dist', rel), 'utf8');
    const before = [page('entries/entry-sunset-cfg9/index.html'), page('api/entries/entry-sunset-cfg9.json'), page('pages/page-landscapes/index.html')];
    expect(build()).toContain('nothing changed since the last build');
    expect(build('--force')).toContain('0 thumbnails made');
    expect([page('entries/entry-sunset-cfg9/index.html'), page('api/entries/entry-sunset-cfg9.json'), page('pages/page-landscapes/index.html')]).toEqual(
      before,
    );
  }, 120_000);
});
