/**
 * An Astro integration that makes `astro dev` serve what `npm run build` copies into
 * `dist/` afterwards: thumbnails (`<base>thumbs/`), blobs (`<base>blobs/`) and the JSON API
 * (`<base>api/`), read from the workspace on each request so edits show up at once.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import { readIndex } from '../core/index-file.ts';
import type { LineageGraph } from '../core/model.ts';
import { buildApi } from './api.ts';
import { normalizeBase, workspaceRoot } from './config.ts';
import type { SiteAssets } from './assets.ts';

const TYPES: Record<string, string> = {
  '.webp': 'image/webp', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.log': 'text/plain; charset=utf-8',
};

/** The workspace file published at `files/<sha256>/<name>` (from the loader's `.lab/site/assets.json`). */
function noteFile(root: string, rel: string): string | null {
  try {
    const assets = JSON.parse(readFileSync(path.join(root, '.lab', 'site', 'assets.json'), 'utf8')) as SiteAssets;
    const source = assets.files?.[rel] ?? assets.files?.[encodeURI(rel)];
    return source ? path.join(root, source) : null;
  } catch {
    return null;
  }
}

export function devAssets(): AstroIntegration {
  let base = '/';
  return {
    name: 'codex-lab-dev-assets',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        // Typeset math and the renderer's own classes need their CSS on every page (no client script).
        injectScript('page-ssr', `import 'katex/dist/katex.min.css'; import ${JSON.stringify(new URL('./render/content.css', import.meta.url).pathname)};`);
      },
      'astro:config:done': ({ config }) => {
        base = normalizeBase(config.base);
      },
      'astro:server:setup': ({ server }) => {
        const root = workspaceRoot();
        server.middlewares.use((req, res, next) => {
          const url = decodeURIComponent((req.url ?? '').split('?')[0]);
          // Astro's dev server may already have stripped the base from the URL.
          const rel = url.startsWith(base) ? url.slice(base.length) : url.replace(/^\/+/, '');
          let file: string | null = null;
          if (/^thumbs\/[0-9a-f]{64}-\d+\.webp$/.test(rel)) file = path.join(root, '.lab', rel);
          else if (/^blobs\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[\w.-]+)?$/.test(rel)) file = path.join(root, 'content', rel);
          else if (/^files\/[0-9a-f]{64}\/[^/]+$/.test(rel)) file = noteFile(root, rel);
          if (file) {
            try {
              statSync(file);
            } catch {
              return next();
            }
            res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
            createReadStream(file).pipe(res);
            return;
          }
          if (rel.startsWith('api/') && rel.endsWith('.json')) {
            try {
              const index = readIndex(root);
              const lineage = JSON.parse(readFileSync(path.join(root, '.lab', 'lineage.json'), 'utf8')) as LineageGraph;
              const assets = JSON.parse(readFileSync(path.join(root, '.lab', 'site', 'assets.json'), 'utf8')) as SiteAssets;
              const hit = buildApi(index, lineage, assets, base).find((f) => `api/${f.path}` === rel);
              if (hit) {
                res.setHeader('Content-Type', 'application/json');
                res.end(hit.json);
                return;
              }
            } catch {
              /* not compiled yet: fall through to a 404 */
            }
          }
          next();
        });
      },
    },
  };
}
