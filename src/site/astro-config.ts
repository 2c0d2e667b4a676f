/**
 * The Astro configuration `lab build|dev|preview` use for a journal. A journal with its own
 * `astro.config.*` (an Astro project that added the journal integration, as this repository does)
 * keeps it, and only the output, cache, `site` and `base` are set here; a journal without one gets
 * the whole site from the package: the integration's routes and a source folder that only holds
 * the content configuration. Astro's root is then the package itself: Astro resolves injected
 * routes relative to its root and breaks on templates outside it (a journal in a folder of its own
 * while the tool is installed elsewhere — globally, linked, or in this repository's tests).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroInlineConfig } from 'astro';
import { LabError } from '../core/diagnostics.ts';
import type { SiteLocation } from './config.ts';
import journal from './integration.ts';

const CONFIG_FILES = ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts', 'astro.config.cjs'];
/** Holds only content.config: every page comes from the integration. */
const PROJECT_DIR = fileURLToPath(new URL('./project/', import.meta.url));
/** The package's folder, one level above src/ and lib/. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The package's public/ (favicon). */
const PUBLIC_DIR = path.join(PACKAGE_DIR, 'public');

/** True when the journal at `root` is also an Astro project with its own configuration. */
export function hasOwnAstroConfig(root: string): boolean {
  return CONFIG_FILES.some((file) => existsSync(path.join(root, file)));
}

/** The inline configuration for the journal at `root`, building into `out`. */
export function astroConfig(options: { root: string; out: string; location: SiteLocation }): AstroInlineConfig {
  const { root, out, location } = options;
  const common: AstroInlineConfig = {
    outDir: out,
    // Per journal, so two journals (or two previews) never share Astro's data store.
    cacheDir: path.join(root, '.lab', 'astro-cache'),
    site: location.site,
    base: location.base,
  };
  if (hasOwnAstroConfig(root)) return { ...common, root };
  return {
    ...common,
    root: PACKAGE_DIR,
    configFile: false,
    srcDir: PROJECT_DIR,
    publicDir: PUBLIC_DIR,
    output: 'static',
    trailingSlash: 'ignore',
    devToolbar: { enabled: false },
    // Pages are rendered a few at a time so one page's disk writes overlap the next one's rendering.
    build: { format: 'directory', concurrency: 4 },
    integrations: [journal({ root })],
  };
}

/**
 * Astro resolves its own runtime from the journal's folder, so the tool (and with it Astro) must be
 * installed there or in a folder above it — as `lab init` + `npm install` arrange.
 */
export function assertSiteToolchain(root: string): void {
  try {
    createRequire(path.join(hasOwnAstroConfig(root) ? root : PACKAGE_DIR, 'package.json')).resolve('astro/package.json');
  } catch {
    throw new LabError(
      `the site is built with Astro, which is not installed for ${root}: run 'npm install' there (lab init writes a package.json with codex-lab-journal as a devDependency), or add codex-lab-journal to the project that contains it`,
    );
  }
}
