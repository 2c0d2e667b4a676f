/**
 * Artifacts and logs as the entry page shows them: URLs of the blob and its thumbnail, a short
 * preview of JSON, CSV and text files, and the tail of each log stream.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mimeTypeOf } from '../core/mime.ts';
import type { Entry } from '../core/model.ts';
import { blobHex, publishedBlobPath } from './blobs.ts';
import type { ThumbInfo } from './thumbnails.ts';
import type { SiteArtifact, SiteLog, Thumb } from './types.ts';

const PREVIEW_MAX_BYTES = 256 * 1024;
const PREVIEW_CHARS = 4000;
const LOG_TAIL_CHARS = 16000;

export function siteArtifact(root: string, a: Entry['artifacts'][number], blobs: Map<string, string>, thumbs: Map<string, ThumbInfo>): SiteArtifact {
  const hex = blobHex(a.hash);
  const rel = hex ? blobs.get(hex) : undefined;
  const t = hex ? thumbs.get(hex) : undefined;
  const thumb: Thumb | null = t ? { src: `thumbs/${t.file}`, width: t.width, height: t.height } : null;
  const type = a.type ?? mimeTypeOf(a.name);
  return {
    name: a.name,
    hash: a.hash,
    type,
    size_bytes: a.size_bytes ?? null,
    width: a.width ?? null,
    height: a.height ?? null,
    href: rel ? `blobs/${publishedBlobPath(rel)}` : null,
    thumb,
    preview: rel && !a.archived ? readPreview(path.join(root, 'content', 'blobs', rel), type, a.name, a.size_bytes) : null,
    archived: a.archived ? { strategy: a.archived.strategy, original_hash: a.archived.original_hash, original_size_bytes: a.archived.original_size_bytes } : null,
  };
}

function previewKind(type: string, name: string): 'json' | 'csv' | 'text' | null {
  if (type === 'application/json' || /\.json$/i.test(name)) return 'json';
  if (type === 'text/csv' || /\.csv$/i.test(name)) return 'csv';
  if (type === 'text/plain' || type === 'text/markdown' || /\.(txt|log|md)$/i.test(name)) return 'text';
  return null;
}

function readPreview(file: string, type: string, name: string, size: number | undefined): SiteArtifact['preview'] {
  const kind = previewKind(type, name);
  if (!kind || (size ?? 0) > PREVIEW_MAX_BYTES) return null;
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
  if (kind === 'csv') {
    const lines = text.split(/\r?\n/);
    const head = lines.slice(0, 21).join('\n');
    return { kind, text: head, truncated: lines.length > 21 };
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

