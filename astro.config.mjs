// @ts-check
/**
 * The journal site. Data comes only from the compiler, through the content-layer loader
 * in src/site/loader.ts. `site`/`base`: LAB_SITE / LAB_BASE environment, then `site`/`base`
 * in lab.config.yaml, then the defaults below. LAB_ROOT picks the workspace (default: here),
 * LAB_OUT the output folder (default: <workspace>/dist).
 */
import path from 'node:path';
import { defineConfig } from 'astro/config';
import { resolveSiteLocation, workspaceRoot } from './src/site/config.ts';
import { devAssets } from './src/site/integration.ts';

const root = workspaceRoot();
const location = resolveSiteLocation(root, { site: undefined, base: '/' });

export default defineConfig({
  output: 'static',
  site: location.site,
  base: location.base,
  trailingSlash: 'ignore',
  outDir: path.resolve(process.env.LAB_OUT || path.join(root, 'dist')),
  // Each workspace keeps its own content-layer data store, so building a test journal never
  // reuses the main journal's store.
  cacheDir: path.join(root, '.lab', 'astro-cache'),
  devToolbar: { enabled: false },
  // Pages are rendered a few at a time so one page's disk writes overlap the next one's rendering.
  build: { format: 'directory', concurrency: 4 },
  integrations: [devAssets()],
  vite: {
    ssr: { external: ['sharp', '@dagrejs/dagre'] },
    server: { watch: { ignored: ['**/.lab/cache/**', '**/.lab/thumbs/**', '**/.lab/astro-cache/**', '**/.lab/site/**', '**/dist/**', '**/test-results/**'] } },
  },
});
