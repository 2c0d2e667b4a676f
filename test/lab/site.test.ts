/**
 * The session pages in a real browser: a small journal (test/lab/fixtures/site-journal) plus a
 * session imported from a rollout whose working directory is that journal; `lab sessions
 * summarize`, then the real build (lab build, LAB_BASE=/journal/), served on 127.0.0.1
 * and read with headless Chromium — including a Pagefind search filtered to sessions.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '../site/static-server.ts';
import { lab, REPO, tmpDir } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const SID = '019ab000-1111-7222-8333-444455556666';
const FIX = path.join(import.meta.dirname, 'fixtures');

/** Without what vitest sets (BASE_URL, MODE, NODE_ENV…), which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

describe.skipIf(!haveChromium && !process.env.CI)('session pages in Chromium', { timeout: 60_000 }, () => {
  let ws: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    ws = tmpDir('lab-session-site-');
    cpSync(path.join(FIX, 'site-journal'), ws, { recursive: true });
    const rollout = path.join(tmpDir('rollouts-'), `rollout-2026-11-18T11-00-00-${SID}.jsonl`);
    writeFileSync(rollout, readFileSync(path.join(FIX, 'site-rollout.template.jsonl'), 'utf8').replaceAll('__WORKSPACE__', ws));
    expect((await lab(ws, 'sessions', 'import', '--force', rollout, '--capture', 'commands')).code).toBe(0);
    expect((await lab(ws, 'sessions', 'summarize', '--all')).code).toBe(0);
    const built = spawnSync(process.execPath, [path.join(REPO, 'src', 'cli', 'bin.ts'), '-C', ws, 'build'], {
      cwd: REPO,
      env: { ...cleanEnv(), LAB_BASE: '/journal/', LAB_SITE: 'https://example.github.io' },
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`lab build exited ${built.status}\n${built.stderr}\n${built.stdout}`);
    server = await serveStatic(path.join(ws, 'dist'), '/journal/');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('/lab/ lists the session; its page shows Context / Delta / Verification next to the experiments it touched', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}lab/`);
    const row = page.locator('table.sessions tbody tr');
    await expect(row.count()).resolves.toBe(1);
    expect(await row.innerText()).toContain('Restrict the pair delta to moonlit hours');
    expect(await row.locator('td').nth(3).innerText()).toBe('1'); // commands captured
    await row.locator('a').click();
    await page.waitForURL(`**/journal/lab/${SID}/`);
    const stub = page.locator('.stub');
    expect(await stub.locator('h2').allInnerTexts()).toEqual(['Context', 'Delta', 'Verification']);
    expect(await stub.innerText()).toContain('node bin/lab.mjs run entry-night-fit — passed (exit 0 in 2 s)');
    const files = page.locator('.files-touched > li');
    await expect(files.count()).resolves.toBe(2);
    const sql = files.filter({ hasText: 'night.sql' });
    expect(await sql.locator('a').first().getAttribute('href')).toBe(
      'https://github.com/example/session-lab/blob/feedbeef00112233445566778899aabbccddeeff/content/notebooks/sensors/night-drift/entries/night.sql',
    );
    expect(await sql.innerText()).toContain('input of entry Night-only pair delta');
    const fit = files.filter({ hasText: 'fit.py' });
    expect(await fit.innerText()).toContain('run by entry Linear fit on the night delta');
    await fit.getByRole('link', { name: 'Linear fit on the night delta' }).click();
    await page.waitForURL('**/journal/entries/entry-night-fit/');
    expect(await page.locator('h1').innerText()).toBe('Linear fit on the night delta');
    // …and the entry links back to the session that touched its files.
    const back = page.locator('section[aria-labelledby="h-sessions"] a');
    expect(await back.getAttribute('href')).toBe(`/journal/lab/${SID}/`);
    expect(await back.innerText()).toContain('Restrict the pair delta to moonlit hours');
    // …and so does the page holding it.
    await page.locator('nav.breadcrumb a').last().click();
    expect(await page.locator('section[aria-labelledby="h-sessions"] a').getAttribute('href')).toBe(`/journal/lab/${SID}/`);
    await page.goBack();
    await page.goBack();
    expect(await page.locator('.message.assistant .prose strong').first().innerText()).toBe('moonlit');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Pagefind finds the session with the kind=session filter', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}search/`);
    // A string, not a function: vitest would rewrite a function's dynamic import() before it reaches the browser.
    const found = (await page.evaluate(`(async () => {
      const pf = await import('/journal/pagefind/pagefind.js');
      await pf.init();
      const filters = await pf.filters();
      const hits = await pf.search('moonlit', { filters: { kind: 'session' } });
      const data = await Promise.all(hits.results.map((r) => r.data()));
      return { kinds: Object.keys(filters.kind ?? {}), urls: data.map((d) => d.url), filters: data.map((d) => d.filters.kind) };
    })()`)) as { kinds: string[]; urls: string[]; filters: string[][] };
    expect(found.kinds).toContain('session');
    expect(found.urls).toEqual([`/journal/lab/${SID}/`]);
    expect(found.filters).toEqual([['session']]);
    await page.close();
  });
});
