/**
 * Makes `astro dev` serve what `lab build` copies into `dist/` afterwards: thumbnails
 * (`<base>thumbs/`), blobs (`<base>blobs/`) and the JSON API (`<base>api/`), read from the
 * workspace on each request so edits show up at once.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { readIndex } from '../core/index-file.ts';
import { mimeTypeOf } from '../core/mime.ts';
import type { LineageGraph } from '../core/model.ts';
import { buildApi } from './api.ts';
import type { SiteAssets } from './assets.ts';


/** A connect-style middleware for the dev server of the journal at `root`, under `base`. */
export function devAssetMiddleware(root: string, base: () => string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    // Astro's dev server may already have stripped the base from the URL.
    const rel = url.startsWith(base()) ? url.slice(base().length) : url.replace(/^\/+/, '');
    let file: string | null = null;
    if (/^thumbs\/[0-9a-f]{64}-\d+\.webp$/.test(rel)) file = path.join(root, '.lab', rel);
    else if (/^blobs\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[\w.-]+)?$/.test(rel)) file = path.join(root, 'content', rel);
    if (file) {
      try {
        statSync(file);
      } catch {
        return next();
      }
      res.setHeader('Content-Type', file.endsWith('.webp') ? 'image/webp' : mimeTypeOf(file));
      createReadStream(file).pipe(res);
      return;
    }
    if (rel.startsWith('api/') && rel.endsWith('.json')) {
      try {
        const index = readIndex(root);
        const lineage = JSON.parse(readFileSync(path.join(root, '.lab', 'lineage.json'), 'utf8')) as LineageGraph;
        const assets = JSON.parse(readFileSync(path.join(root, '.lab', 'site', 'assets.json'), 'utf8')) as SiteAssets;
        const hit = buildApi(index, lineage, assets, base()).find((f) => `api/${f.path}` === rel);
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
  };
}
