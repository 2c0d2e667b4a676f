/**
 * Artifacts and logs as the entry page shows them: URLs of the blob and its thumbnail, a short
 * preview of JSON, CSV and text files, and the tail of each log stream.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Entry } from '../core/model.ts';
import { blobHex } from './blobs.ts';
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
  const type = a.type ?? guessType(a.name);
  return {
    name: a.name,
    hash: a.hash,
    type,
    size_bytes: a.size_bytes ?? null,
    width: a.width ?? null,
    height: a.height ?? null,
    href: rel ? `blobs/${rel}` : null,
    thumb,
    view: artifactView(type, a.name),
    preview: rel ? readPreview(path.join(root, 'content', 'blobs', rel), type, a.name, a.size_bytes) : null,
  };
}

function guessType(name: string): string {
  const ext = path.extname(name).toLowerCase();
  const types: Record<string, string> = {
    '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
    '.json': 'application/json', '.csv': 'text/csv', '.txt': 'text/plain', '.log': 'text/plain', '.md': 'text/markdown',
    '.html': 'text/html', '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.ipynb': 'application/x-ipynb+json',
    '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.flac': 'audio/flac', '.m4a': 'audio/mp4',
    '.mp4': 'video/mp4', '.webm': 'video/webm', '.ogv': 'video/ogg', '.mov': 'video/quicktime',
  };
  return types[ext] ?? 'application/octet-stream';
}

/** How the entry page shows an artifact: as what it is, not as a download link. */
export function artifactView(type: string, name: string): SiteArtifact['view'] {
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

