/** Dev helper: screenshots of a served site. node scripts/screens.ts <url> <outdir> path... */
import { chromium } from 'playwright-core';

const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
for (const scheme of ['light', 'dark'] as const) {
  for (const [w, h, tag] of [
    [1280, 900, 'desk'],
    [390, 844, 'phone'],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: w, height: h }, colorScheme: scheme });
    page.on('console', (m) => {
      if (m.type() === 'error') console.log('console error', m.text());
    });
    page.on('pageerror', (e) => console.log('page error', e.message));
    for (const p of paths) {
      await page.goto(base + p, { waitUntil: 'networkidle' });
      await page.screenshot({ path: `${out}/${p.replace(/[^a-z0-9]+/gi, '_') || 'home'}-${tag}-${scheme}.png`, fullPage: true });
    }
    await page.close();
  }
}
await browser.close();
