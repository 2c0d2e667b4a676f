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
import { isActiveBlob, storeBlobPath } from './blobs.ts';

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

/** Types the dev server shows inline; everything else is served as a download. */
const INLINE = /^(image\/(png|jpeg|webp|gif|avif)|application\/json|text\/(csv|plain|markdown)|audio\/|video\/)/;

/** A connect-style middleware for the dev server of the journal at `root`, under `base`. */
export function devAssetMiddleware(root: string, base: () => string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    // Astro's dev server may already have stripped the base from the URL.
    const rel = url.startsWith(base()) ? url.slice(base().length) : url.replace(/^\/+/, '');
    let file: string | null = null;
    if (/^thumbs\/[0-9a-f]{64}-\d+\.webp$/.test(rel)) file = path.join(root, '.lab', rel);
    else if (/^files\/[0-9a-f]{64}\/[^/]+$/.test(rel)) file = noteFile(root, rel);
    else if (/^blobs\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[\w.-]+)?$/.test(rel) && !isActiveBlob(rel)) file = path.join(root, 'content', storeBlobPath(rel));
    if (file) {
      try {
        statSync(file);
      } catch {
        return next();
      }
      // Active types (HTML, SVG, scripts — published as `.bin`) and unknown ones are downloads,
      // never documents of this origin.
      const type = file.endsWith('.webp') ? 'image/webp' : mimeTypeOf(file);
      res.setHeader('Content-Type', type);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (!INLINE.test(type)) res.setHeader('Content-Disposition', 'attachment');
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
