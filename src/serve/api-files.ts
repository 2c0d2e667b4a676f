/**
 * Artifact bytes (`GET /api/artifacts/{hash}`, thumbnails too) and uploads
 * (`POST /api/entries/{id}/artifacts`, what `lab attach` does). Artifacts are served so that nothing
 * in them runs in this origin: HTML and SVG go out as downloads, everything under a sandboxing CSP.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../core/hash.ts';
import { isRasterImage, mimeTypeOf } from '../core/mime.ts';
import { attachFiles } from '../runners/attach.ts';
import { ensureThumbnails } from '../site/thumbnails.ts';
import { findRecord, sendRecord } from './api-read.ts';
import type { RequestContext, Route } from './context.ts';
import { badField, HttpError } from './http-error.ts';
import { BASE_HEADERS, readBodyToFile } from './respond.ts';

/** Types a browser would run or render as a document: served as downloads. */
const ACTIVE = /^(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|application\/javascript|text\/javascript)/i;

async function sendFile(ctx: RequestContext, file: string, type: string, download: string | null): Promise<void> {
  const stat = await fs.stat(file);
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'Content-Type': type,
    'Content-Length': String(stat.size),
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  if (download) headers['Content-Disposition'] = `attachment; filename="${download.replace(/["\\\r\n]/g, '_')}"`;
  ctx.res.writeHead(200, headers);
  if (ctx.req.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  createReadStream(file).pipe(ctx.res);
}

export const fileRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/artifacts/{hash}',
    handler: async (ctx) => {
      const hex = /^(?:sha256:)?([0-9a-f]{64})$/.exec(ctx.params.hash!)?.[1];
      if (!hex) throw badField('hash', 'must be `sha256:` and 64 hex digits');
      // Only blobs an entry links (artifacts, logs) are served, found without scanning the store.
      const view = await ctx.state.view();
      const rel = view.blobFile(hex);
      if (!rel) throw new HttpError(404, `no artifact sha256:${hex}: no entry lists it`);
      const file = path.join(ctx.state.root, 'content', 'blobs', rel);
      const index = view.index;
      const artifact = index.entries.flatMap((e) => e.artifacts).find((a) => a.hash === `sha256:${hex}`);
      const type = artifact?.type ?? mimeTypeOf(rel);
      const thumbnail = ctx.url.searchParams.get('thumbnail');
      if (thumbnail && thumbnail !== '0') {
        if (!isRasterImage(type, rel)) throw new HttpError(404, `sha256:${hex} is ${type}: only raster images have thumbnails`);
        const made = await ensureThumbnails(
          path.join(ctx.state.root, '.lab', 'thumbs'),
          new Map([[hex, { file, width: artifact?.width, height: artifact?.height }]]),
        );
        const thumb = made.thumbs.get(hex);
        if (!thumb) throw new HttpError(422, `no thumbnail for sha256:${hex}: ${made.failed.get(hex) ?? 'the image could not be read'}`);
        return sendFile(ctx, path.join(ctx.state.root, '.lab', 'thumbs', thumb.file), 'image/webp', null);
      }
      const active = ACTIVE.test(type);
      await sendFile(ctx, file, active ? 'application/octet-stream' : type, active ? (artifact?.name ?? path.basename(rel)) : null);
    },
  },
  {
    method: 'POST',
    path: '/api/entries/{id}/artifacts',
    handler: async (ctx) => {
      const name = ctx.url.searchParams.get('name') ?? '';
      if (!name) throw badField('name', 'is required: the file name, as a query parameter (`?name=photo.png`)');
      if (!/^[^/\\\0]{1,200}$/.test(name) || name.startsWith('.') || name !== name.trim()) {
        throw badField('name', 'must be a plain file name (no folders, not starting with a dot)');
      }
      const entry = await findRecord(ctx, 'entry', ctx.params.id!);
      const raw = ctx.req.headers['if-match'];
      const expected = raw ? raw.trim().replace(/^W\//, '').replace(/^"|"$/g, '') : null;
      // Staged inside the journal's derived folder, never anywhere the client names.
      const dir = path.join(ctx.state.root, '.lab', 'uploads', randomBytes(8).toString('hex'));
      await fs.mkdir(dir, { recursive: true });
      try {
        const staged = path.join(dir, name);
        await readBodyToFile(ctx.req, staged, ctx.limits.upload);
        await ctx.state.result();
        await ctx.state.exclusive(async () => {
          if (expected !== null) {
            const current = await fs.readFile(ctx.state.abs(entry.source.path)).then(sha256, () => null);
            if (current !== expected) {
              const reason = `${entry.source.path} changed since you read it; reload it and attach again`;
              throw new HttpError(409, reason, { reason });
            }
          }
          await attachFiles(entry.id, [staged], { root: ctx.state.root, cwd: ctx.state.root });
        });
      } finally {
        ctx.state.invalidate();
        await fs.rm(dir, { recursive: true, force: true });
      }
      await sendRecord(ctx, (v) => v.entry(entry.id), entry.source.path, 201);
    },
  },
];
