import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
for (const p of process.argv.slice(2)) {
await page.goto('http://127.0.0.1:4815/' + p);
console.log(p, await page.evaluate(() => {
  const out: string[] = [];
  for (const el of document.querySelectorAll('body *')) { const s = getComputedStyle(el); if (el.scrollWidth > el.clientWidth + 2 && s.overflowX === 'visible') out.push(el.tagName + '.' + (el as HTMLElement).className + ' sw=' + el.scrollWidth + ' cw=' + el.clientWidth); }
  return [document.documentElement.scrollWidth, ...out.slice(0, 12)];
}));
}
await browser.close();
