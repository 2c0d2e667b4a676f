import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
for (const p of process.argv.slice(2)) {
await page.goto('http://127.0.0.1:4815/' + p);
console.log(p, await page.evaluate(() => {
  const out: string[] = [];
  const clipped = (el: Element) => { for (let a = el.parentElement; a; a = a.parentElement) { const s = getComputedStyle(a); if (s.overflowX !== 'visible' && a !== document.documentElement && a !== document.body) return true; } return false; };
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect(); if (r.right > 392 && !clipped(el)) out.push(el.tagName + '.' + (el as HTMLElement).className + ' ' + Math.round(r.right)); }
  return out.slice(0, 8);
}));
}
await browser.close();
