/**
 * The lab app in a real Chromium, as a new user tries it: open the printed URL, create a variation of
 * an entry with a changed parameter, press Execute, watch the log stream in, close the tab mid-run,
 * reopen it and see the whole log and the result — and find the result in the entry's file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Served, serveFixture } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
/** The machine may be busy: UI changes get time to show. */
const SLOW = { timeout: 15_000, interval: 100 };
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`lab serve browser tests need Chromium at ${CHROMIUM} (CI=true: not skipping)`);

describe.skipIf(!haveChromium && !process.env.CI)('lab app in Chromium', { timeout: 90_000 }, () => {
  let s: Served;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    s = await serveFixture();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  };

  test('create a variation, execute it, close the tab mid-run, reopen and see everything', async () => {
    const context = await browser.newContext();
    const page = watch(await context.newPage());
    await page.goto(s.server.url);
    expect(new URL(page.url()).pathname).toBe('/_lab/');
    expect(page.url()).not.toContain('token=');
    await page.getByRole('link', { name: /Model training/ }).click();
    await page.getByRole('link', { name: 'Learning-rate sweep' }).click();
    await page.getByRole('link', { name: 'Baseline at lr 0.001' }).click();

    // The variation form is prefilled from the inputs; change two parameters.
    const form = page.locator('#variation-form');
    await expect.poll(() => form.locator('input[name="epochs"]').inputValue(), SLOW).toBe('3');
    await form.locator('input[name="title"]').fill('Longer run at lr 0.001');
    await form.locator('input[name="epochs"]').fill('8');
    await form.locator('input[name="epoch_seconds"]').fill('0.5');
    await form.getByRole('button', { name: 'Create variation' }).click();
    await page.waitForURL(/#\/entries\/entry-[0-9a-f]{12}$/);
    const id = /entries\/(entry-[0-9a-f]{12})$/.exec(page.url())![1];
    await expect.poll(() => page.locator('h1').textContent(), SLOW).toContain('Longer run at lr 0.001');

    await page.locator('#execute').click();
    const log = page.locator('pre.log');
    await expect.poll(() => log.textContent(), { ...SLOW, timeout: 25_000 }).toContain('epoch 2');
    // ANSI colours arrive as styled text, not escape codes.
    expect(await log.textContent()).not.toContain('\x1b');
    expect(await log.locator('span[style*="color"]').count()).toBeGreaterThan(0);
    expect(await log.textContent()).not.toContain('epoch 8');
    await page.close(); // mid-run

    await new Promise((r) => setTimeout(r, 1500));
    const again = watch(await context.newPage());
    await again.goto(`${s.server.origin}_lab/#/entries/${id}`);
    const state = again.locator('#run-state');
    await expect.poll(() => state.getAttribute('data-final'), { ...SLOW, timeout: 25_000 }).toBe('completed');
    const text = (await again.locator('pre.log').textContent())!;
    expect(text.split('\n').filter(Boolean)).toEqual(['lr=0.001', ...Array.from({ length: 8 }, (_, i) => `epoch ${i + 1} loss=${Math.floor(100 / (i + 1))}`)]);
    await expect.poll(() => again.locator('#entry-status').textContent(), SLOW).toBe('completed');

    // The result is in the entry's file, ready to commit.
    const entry = (await (await s.call('GET', `/api/entries/${id}`)).json()) as any;
    const file = readFileSync(path.join(s.root, entry.source.path), 'utf8');
    expect(file).toMatch(/\n {4}epochs: 8\n {4}epoch_seconds: 0\.5\n/);
    expect(file).toContain('variation_of: entry-lr-baseline');
    expect(file).toMatch(/\nstatus: completed\n/);

    // Rate it, write a note; a save in an editor shows a banner.
    await again.getByRole('button', { name: 'Rate 4' }).click();
    await expect.poll(() => readFileSync(path.join(s.root, entry.source.path), 'utf8'), SLOW).toMatch(/\nrating: 4\n/);
    const notes = again.getByRole('textbox', { name: 'Notes', exact: true });
    await notes.fill('Converges by **epoch 6**.');
    await expect.poll(() => again.getByLabel('Notes preview').innerHTML(), SLOW).toContain('<strong>epoch 6</strong>');
    // The save's answer is held back until the person has typed on: that text stays unsaved.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await again.route('**/api/entries/*/notes', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    const editor = again.locator('.md-editor').last();
    await editor.getByRole('button', { name: 'Save' }).click();
    const abs = path.join(s.root, entry.source.path);
    await expect.poll(() => readFileSync(abs, 'utf8'), SLOW).toContain('\nConverges by **epoch 6**.\n');
    await notes.fill('An unsaved thought');
    release();
    await expect.poll(() => editor.locator('.row span').textContent(), SLOW).toBe('Saved; later changes are not saved yet.');
    // A save in an editor meanwhile shows a banner, and leaves the unsaved text alone.
    writeFileSync(abs, readFileSync(abs, 'utf8').replace('Converges by', 'Edited elsewhere: converges by'));
    await expect.poll(() => again.locator('#lab-banner').textContent(), SLOW).toContain('an editor, git or a run wrote it');
    expect(await notes.inputValue()).toBe('An unsaved thought');
    // With nothing unsaved, a change made elsewhere simply shows.
    await again.locator('#lab-banner').getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => notes.inputValue(), SLOW).toBe('Edited elsewhere: converges by **epoch 6**.');
    writeFileSync(abs, readFileSync(abs, 'utf8').replace('Edited elsewhere', 'Edited twice elsewhere'));
    await expect.poll(() => notes.inputValue(), SLOW).toBe('Edited twice elsewhere: converges by **epoch 6**.');
    await context.close();
    expect(problems).toEqual([]);
  });

  test('new notebook, page and entry from the app; drag-and-drop attach on a manual entry', async () => {
    const context = await browser.newContext();
    const page = watch(await context.newPage());
    await page.goto(s.server.url);
    await page.getByRole('form', { name: 'New notebook' }).getByLabel('Title').fill('Field notes');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.waitForURL(/#\/notebooks\/nb-field-notes$/);
    await page.getByRole('form', { name: 'New page' }).getByLabel('Title').fill('Site visit');
    await page.getByRole('button', { name: 'New page' }).click();
    await page.waitForURL(/#\/pages\/page-site-visit$/);
    const form = page.getByRole('form', { name: 'New entry' });
    await form.getByLabel('Title').fill('Photos');
    await form.getByLabel('Type').selectOption('manual');
    await page.getByRole('button', { name: 'New entry' }).click();
    await page.waitForURL(/#\/entries\/entry-/);
    // Drop a file on the drop zone, as a person drags one from the desktop.
    const handle = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a,b\n1,2\n'], 'readings.csv', { type: 'text/csv' }));
      return dt;
    });
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: handle });
    await expect.poll(() => page.locator('#artifacts').textContent(), SLOW).toContain('readings.csv');
    const id = /entries\/(entry-[0-9a-f]{12})$/.exec(page.url())![1];
    const entry = (await (await s.call('GET', `/api/entries/${id}`)).json()) as any;
    expect(entry.artifacts.map((a: any) => a.name)).toEqual(['readings.csv']);
    expect(entry.source.path).toMatch(/^content\/notebooks\/field-notes\/site-visit\/entries\/001-photos\.md$/);
    await context.close();
    expect(problems).toEqual([]);
  });
});
