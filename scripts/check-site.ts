/**
 * Quality gates for a built site (`dist/`), as CI runs them:
 *   - html-validate, standard preset, on every built page: 0 errors;
 *   - axe-core in the system Chromium (playwright-core), one page per template, light and dark:
 *     0 violations of impact moderate or worse;
 *   - every notebook, page and entry view at a 390 px wide viewport: nothing wider than the screen.
 *
 *   node scripts/check-site.ts <dist> [--base /journal/] [--skip-browser] [--json]
 *
 * Exit 1 when a gate fails; each problem is printed as `file: rule: message`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { type Browser, chromium } from 'playwright-core';
import { serveStatic } from '../test/site/static-server.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** html-validate's standard preset; the rules that judge the journal's own prose are kept. */
export const HTML_VALIDATE_CONFIG: ConfigData = {
  extends: ['html-validate:standard'],
  rules: {
    // Astro writes boolean attributes and void elements its own way; the standard preset's style
    // rules about them say nothing about validity.
    'no-trailing-whitespace': 'off',
  },
};

export interface GateProblem {
  file: string;
  rule: string;
  message: string;
  line?: number;
  column?: number;
}

/** Every `.html` file under `dir` (sorted, relative paths). */
export function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (r === 'pagefind' || r === 'blobs' || r === 'api' || r === 'thumbs' || r === '_astro') continue;
        walk(r);
      } else if (d.name.endsWith('.html')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** html-validate (standard preset) on every page of a built site, or on `files` of it. */
export async function validateHtml(dir: string, files = htmlFiles(dir)): Promise<{ pages: number; errors: GateProblem[] }> {
  const validator = new HtmlValidate(HTML_VALIDATE_CONFIG);
  const errors: GateProblem[] = [];
  for (const file of files) {
    const report = await validator.validateString(readFileSync(path.join(dir, file), 'utf8'), file);
    for (const result of report.results) {
      for (const m of result.messages) {
        if (m.severity === 2) errors.push({ file, rule: m.ruleId, message: m.message, line: m.line, column: m.column });
      }
    }
  }
  return { pages: files.length, errors };
}

/** The URL path of a built file: `entries/x/index.html` → `entries/x/`. */
export function pagePath(file: string): string {
  return file.replace(/(^|\/)index\.html$/, '$1');
}

/**
 * One page per template — home, notebook (and a later part of a long one), page (likewise), entry, tag list, tag, search, compare, lab, 404 —
 * plus, when `dir` is given, the first page showing each kind of content a template can hold
 * (runs table and charts, image gallery, rendered notebook, CSV preview, SQL query, lineage graph).
 */
export function templatePages(files: string[], dir?: string): string[] {
  const first = (re: RegExp) => files.find((f) => re.test(f));
  const having = (re: RegExp, marker: string) => (dir ? files.find((f) => re.test(f) && readFileSync(path.join(dir, f), 'utf8').includes(marker)) : undefined);
  const entry = /^entries\/[^/]+\/index\.html$/;
  const picks = [
    first(/^index\.html$/),
    first(/^notebooks\/[^/]+\/index\.html$/),
    having(/^notebooks\/[^/]+\/index\.html$/, 'data-runs'),
    first(/^notebooks\/[^/]+\/\d+\/index\.html$/),
    first(/^pages\/[^/]+\/index\.html$/),
    first(/^pages\/[^/]+\/\d+\/index\.html$/),
    having(/^pages\/[^/]+\/index\.html$/, 'class="chart '),
    first(entry),
    having(entry, 'data-gallery'),
    having(entry, 'class="nb"'),
    having(entry, 'csv-cell'),
    having(entry, 'sql-query'),
    having(entry, 'data-lineage'),
    first(/^tags\/index\.html$/),
    first(/^tags\/[^/]+\/index\.html$/),
    first(/^search\/index\.html$/),
    first(/^compare\/index\.html$/),
    first(/^lab\/index\.html$/),
    first(/^lab\/[^/]+\/index\.html$/),
    first(/^404\.html$/),
  ];
  return [...new Set(picks.filter((p): p is string => !!p))];
}

const require = createRequire(import.meta.url);

/** Opens pages in Chromium and runs axe-core; violations of impact moderate, serious or critical. */
export async function axeCheck(browser: Browser, url: string, pages: string[], schemes: ('light' | 'dark')[] = ['light', 'dark']): Promise<GateProblem[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const problems: GateProblem[] = [];
  for (const colorScheme of schemes) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    for (const p of pages) {
      await page.goto(url + p, { waitUntil: 'load' });
      // Pages that load their content (compare, search) have finished when the network is quiet.
      if (/^(compare|search)\//.test(p)) await page.waitForLoadState('networkidle');
      await page.addScriptTag({ content: source });
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }>;
            };
          }
        ).axe;
        const result = await axe.run({ resultTypes: ['violations'] });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
          count: v.nodes.length,
        }));
      });
      for (const v of violations) {
        if (v.impact === 'minor') continue;
        problems.push({ file: `${p} (${colorScheme})`, rule: `${v.id} [${v.impact}]`, message: `${v.help} — ${v.count} node(s): ${v.nodes.join(' | ')}` });
      }
    }
    await context.close();
  }
  return problems;
}

/** Pages wider than a 390 px viewport (the document scrolls sideways), with the widest elements. */
export async function overflowCheck(browser: Browser, url: string, pages: string[], width = 390): Promise<GateProblem[]> {
  const problems: GateProblem[] = [];
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  const page = await context.newPage();
  for (const p of pages) {
    await page.goto(url + p, { waitUntil: 'load' });
    const found = await page.evaluate((w) => {
      const doc = document.documentElement.scrollWidth;
      if (doc <= w) return null;
      const wide: string[] = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && r.width > 0) {
          const name =
            el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '');
          wide.push(`${name} (${Math.round(r.right)} px)`);
          if (wide.length >= 4) break;
        }
      }
      return { doc, wide };
    }, width);
    if (found) problems.push({ file: p, rule: 'overflow-390', message: `${found.doc} px wide at ${width} px: ${found.wide.join(', ')}` });
  }
  await context.close();
  return problems;
}

/** The views the 390 px gate covers: every notebook, page (each part of a long one) and entry. */
export function viewPages(files: string[]): string[] {
  return files.filter((f) => /^(notebooks|pages|entries)\/[^/]+\/(\d+\/)?index\.html$/.test(f) || f === 'index.html').map(pagePath);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export const formatProblem = (p: GateProblem) => `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.rule}: ${p.message}`;

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { base: { type: 'string', default: '/' }, 'skip-browser': { type: 'boolean' }, only: { type: 'string' } },
  });
  const dir = path.resolve(positionals[0] ?? 'dist');
  let failed = false;
  const only = values.only?.split(',');
  if (!only || only.includes('html')) {
    const t = performance.now();
    const html = await validateHtml(dir);
    for (const e of html.errors) console.log(formatProblem(e));
    console.log(`html-validate: ${html.errors.length} errors on ${html.pages} pages (${Math.round(performance.now() - t)} ms)`);
    failed ||= html.errors.length > 0;
  }
  if (!values['skip-browser'] && (!only || only.includes('axe') || only.includes('overflow'))) {
    const files = htmlFiles(dir);
    const server = await serveStatic(dir, values.base);
    const browser = await launchChromium();
    try {
      if (!only || only.includes('axe')) {
        const pages = templatePages(files, dir);
        const axe = await axeCheck(browser, server.url, pages.map(pagePath));
        for (const p of axe) console.log(formatProblem(p));
        console.log(`axe: ${axe.length} moderate+ violations on ${pages.length} pages (one per template and content kind) × light/dark`);
        failed ||= axe.length > 0;
      }
      if (!only || only.includes('overflow')) {
        const views = viewPages(files);
        const over = await overflowCheck(browser, server.url, views);
        for (const p of over) console.log(formatProblem(p));
        console.log(`overflow: ${over.length} of ${views.length} views wider than 390 px`);
        failed ||= over.length > 0;
      }
    } finally {
      await browser.close();
      await server.close();
    }
  }
  process.exit(failed ? 1 : 0);
}
