/**
 * The journal as an Astro integration, the way Starlight is one: it only wires. It injects the
 * journal's routes (src/site/routes/), points the content layer at the workspace and, in
 * `astro dev`, serves thumbnails, blobs and the JSON API from the workspace.
 *
 * ```js
 * // astro.config.mjs
 * import journal from 'codex-lab-journal/astro';
 * export default defineConfig({ integrations: [journal()] });
 * // src/content.config.ts
 * import { journalCollection } from 'codex-lab-journal/astro';
 * export const collections = { journal: journalCollection() };
 * ```
 *
 * `lab build|dev|preview` use the same integration for a journal without an Astro project.
 * `astro build` alone renders the pages; `lab build` also writes thumbnails, the JSON API and the
 * search index (see src/site/build.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { normalizeBase } from './config.ts';
import { devAssetMiddleware } from './dev-assets.ts';
import { shareLogLevel, stableLogLevel } from './stable-log-level.ts';

export { journalCollection } from './collection.ts';

/** Options of {@link journal}. */
export interface JournalOptions {
  /**
   * The journal workspace (the folder with `lab.config.yaml`, `content/` and `lab/`), absolute or
   * relative to the Astro project's root. Default: `LAB_ROOT`, else the Astro project's root.
   */
  root?: string;
  /**
   * Astro's incremental build (`experimental.incrementalBuild`): a page whose cache key
   * (src/site/cache-keys.ts) and code are unchanged is restored from the previous build's copy in
   * Astro's `cacheDir` instead of rendered. Keep `cacheDir` (default `node_modules/.astro`) between
   * builds to benefit. Default: true.
   */
  incremental?: boolean;
}

/** The folder of the journal's page templates, next to this module (in `src/` or in the package's `lib/`). */
export const ROUTES_DIR = fileURLToPath(new URL('./routes/', import.meta.url));

/** A page (`.astro`) or an endpoint (`feed.xml.ts`, compiled to `.js` in the package); not a `.d.ts`. */
const ROUTE_FILE = /^(?!.*\.d\.ts$).*\.(astro|ts|js)$/;

/** Every page and endpoint under {@link ROUTES_DIR} with the URL pattern Astro gives it, sorted. */
export function journalRoutes(dir = ROUTES_DIR): { pattern: string; entrypoint: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => ROUTE_FILE.test(file))
    .sort()
    .map((file) => {
      const route = file
        .split(path.sep)
        .join('/')
        .replace(/\.(astro|ts|js)$/, '')
        .replace(/(^|\/)index$/, '');
      return { pattern: `/${route}`, entrypoint: path.join(dir, file) };
    });
}

/** The journal site as an Astro integration. */
export default function journal(options: JournalOptions = {}): AstroIntegration {
  let base = '/';
  let root = '';
  return {
    name: 'codex-lab-journal',
    hooks: {
      'astro:config:setup': ({ config, injectRoute, injectScript, updateConfig, logger }) => {
        shareLogLevel(logger.options.level);
        const projectRoot = fileURLToPath(config.root);
        root = path.resolve(projectRoot, options.root ?? process.env.LAB_ROOT ?? '.');
        // The content loader, the pages and `lab` share the workspace through LAB_ROOT.
        process.env.LAB_ROOT = root;
        for (const route of journalRoutes()) injectRoute(route);
        // Typeset math and the renderer's own classes need their CSS on every page (no client script).
        injectScript(
          'page-ssr',
          `import 'katex/dist/katex.min.css'; import ${JSON.stringify(fileURLToPath(new URL('./render/content.css', import.meta.url)))};`,
        );
        updateConfig({
          experimental: { incrementalBuild: options.incremental ?? true },
          vite: {
            plugins: [stableLogLevel()],
            ssr: { external: ['sharp', '@dagrejs/dagre'] },
            server: {
              watch: {
                ignored: ['**/.lab/cache/**', '**/.lab/thumbs/**', '**/.lab/astro-cache/**', '**/.lab/site/**', '**/dist/**', '**/test-results/**'],
              },
            },
          },
        });
      },
      'astro:config:done': ({ config }) => {
        base = normalizeBase(config.base);
      },
      'astro:server:setup': ({ server }) => {
        server.middlewares.use(devAssetMiddleware(root, () => base));
      },
    },
  };
}
