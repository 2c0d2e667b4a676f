// @ts-check
/**
 * The sample journal's site, written as any Astro project that adds a journal writes it: the
 * journal integration injects the pages, and src/content.config.ts registers the `journal`
 * collection. `lab build|dev|preview` load this file and set `site`, `base`, `outDir` and
 * `cacheDir` from lab.config.yaml and LAB_SITE / LAB_BASE / LAB_OUT.
 */
import { defineConfig } from 'astro/config';
import journal from 'codex-lab-journal/astro';

export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
  // Pages are rendered a few at a time so one page's disk writes overlap the next one's rendering.
  build: { format: 'directory', concurrency: 4 },
  integrations: [journal()],
});
