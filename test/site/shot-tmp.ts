import { chromium } from 'playwright-core';
const [base, out, mode, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const combos = mode === 'all' ? [['light',1280],['dark',1280],['light',390],['dark',390]] : mode.split(',').map((m) => { const [s,w] = m.split(':'); return [s, Number(w)]; });
for (const [scheme, w] of combos as [string, number][]) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 }, colorScheme: scheme as 'light' });
  page.on('pageerror', (e) => console.log('page error', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error', m.text()); });
  for (const p of paths) {
    await page.goto(base + p, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `${out}/${p.replace(/[^a-z0-9]+/gi, '_') || 'home'}-${w}-${scheme}.png`, fullPage: true });
  }
  await page.close();
}
await browser.close();
