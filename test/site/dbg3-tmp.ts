import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
await page.goto('http://127.0.0.1:4815/' + process.argv[2]);
console.log(await page.evaluate(() => {
  const out: string[] = [];
  const walk = (el: Element, depth: number) => { for (const c of el.children) { if (c instanceof HTMLElement && c.scrollWidth > 392 - 0 && depth < 12) { out.push(' '.repeat(depth) + c.tagName + '.' + c.className + ' sw=' + c.scrollWidth + ' ow=' + c.offsetWidth + ' ov=' + getComputedStyle(c).overflowX); walk(c, depth + 1); } } };
  walk(document.body, 0);
  return out.join('\n');
}));
await browser.close();
