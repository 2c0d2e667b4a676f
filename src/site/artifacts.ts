/**
 * Artifacts and logs as the entry page shows them: URLs of the blob and its thumbnail, a short
 * preview of JSON, CSV and text files, and the tail of each log stream.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mimeTypeOf } from '../core/mime.ts';
import type { Entry } from '../core/model.ts';
import { blobHex, publishedBlobPath } from './blobs.ts';
import { csvRows } from './format.ts';
import { notebookHtml } from './notebook-html.ts';
import type { ThumbInfo } from './thumbnails.ts';
import type { SiteArtifact, SiteLog, Thumb } from './types.ts';

const PREVIEW_MAX_BYTES = 256 * 1024;
/** Executed notebooks carry their images inline; a few MB is still a page that loads. */
const NOTEBOOK_MAX_BYTES = 4 * 1024 * 1024;
const CSV_PREVIEW_ROWS = 20;
const PREVIEW_CHARS = 4000;
const LOG_TAIL_CHARS = 16000;

export function siteArtifact(root: string, a: Entry['artifacts'][number], blobs: Map<string, string>, thumbs: Map<string, ThumbInfo>): SiteArtifact {
  const hex = blobHex(a.hash);
  const rel = hex ? blobs.get(hex) : undefined;
  const t = hex ? thumbs.get(hex) : undefined;
  const thumb: Thumb | null = t ? { src: `thumbs/${t.file}`, width: t.width, height: t.height } : null;
  const type = a.type ?? mimeTypeOf(a.name);
  const view = artifactView(type, a.name);
  return {
    name: a.name,
    hash: a.hash,
    type,
    size_bytes: a.size_bytes ?? null,
    width: a.width ?? null,
    height: a.height ?? null,
    href: rel ? `blobs/${publishedBlobPath(rel)}` : null,
    thumb,
    view,
    svg_src: view === 'svg' && rel && !a.archived ? svgDataUri(path.join(root, 'content', 'blobs', rel), a.size_bytes) : null,
    preview: rel && !a.archived ? readPreview(path.join(root, 'content', 'blobs', rel), type, a.name, a.size_bytes) : null,
    archived: a.archived
      ? { strategy: a.archived.strategy, original_hash: a.archived.original_hash, original_size_bytes: a.archived.original_size_bytes }
      : null,
  };
}

/** SVG up to this size is shown inline; a bigger one is a download link only. */
const SVG_INLINE_BYTES = 2 * 1024 * 1024;

/**
 * An SVG artifact as a `data:` URI for `<img>`: an image never runs script, while the file itself is
 * published only as a download (blobs.ts), so nothing from the journal becomes a page of the site.
 */
function svgDataUri(file: string, size: number | undefined): string | null {
  if ((size ?? 0) > SVG_INLINE_BYTES) return null;
  try {
    return `data:image/svg+xml;base64,${readFileSync(file).toString('base64')}`;
  } catch {
    return null;
  }
}

/** How the entry page shows an artifact: as what it is, not as a download link. */
function artifactView(type: string, name: string): SiteArtifact['view'] {
  if (type === 'image/svg+xml' || /\.svg$/i.test(name)) return 'svg';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return previewKind(type, name) ?? 'file';
}

function previewKind(type: string, name: string): 'json' | 'csv' | 'text' | 'notebook' | null {
  if (type === 'application/x-ipynb+json' || /\.ipynb$/i.test(name)) return 'notebook';
  if (type === 'application/json' || /\.json$/i.test(name)) return 'json';
  if (type === 'text/csv' || /\.csv$/i.test(name)) return 'csv';
  if (type === 'text/plain' || type === 'text/markdown' || /\.(txt|log|md)$/i.test(name)) return 'text';
  return null;
}

function readPreview(file: string, type: string, name: string, size: number | undefined): SiteArtifact['preview'] {
  const kind = previewKind(type, name);
  if (!kind || (size ?? 0) > (kind === 'notebook' ? NOTEBOOK_MAX_BYTES : PREVIEW_MAX_BYTES)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (kind === 'json') {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      /* not valid JSON: show it as it is */
    }
  }
  if (kind === 'notebook') {
    const nb = notebookHtml(text);
    return nb ? { kind, html: nb.html, truncated: false } : null;
  }
  if (kind === 'csv') {
    // Parsed whole, so a quoted field with line breaks stays one cell.
    const rows = csvRows(text);
    return { kind, rows: rows.slice(0, CSV_PREVIEW_ROWS + 1), truncated: rows.length > CSV_PREVIEW_ROWS + 1 };
  }
  return { kind, text: text.slice(0, PREVIEW_CHARS), truncated: text.length > PREVIEW_CHARS };
}

export function readLogs(root: string, entry: Entry, blobs: Map<string, string>): SiteLog[] {
  return Object.entries(entry.logs)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([stream, hash]) => {
      const rel = blobs.get(blobHex(hash) ?? '');
      if (!rel) return { stream, text: null, truncated: false };
      try {
        const text = readFileSync(path.join(root, 'content', 'blobs', rel), 'utf8');
        const truncated = text.length > LOG_TAIL_CHARS;
        return { stream, text: truncated ? text.slice(-LOG_TAIL_CHARS) : text, truncated };
      } catch {
        return { stream, text: null, truncated: false };
      }
    });
}
