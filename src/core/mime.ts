/**
 * MIME types from file names and file extensions from MIME types: the `mime` package (the
 * standard and vendor types of mime-db), plus the few types a lab journal meets that it lacks.
 * The one table the runners, the site and export/import use.
 */
import { Mime } from 'mime';
import otherTypes from 'mime/types/other.js';
import standardTypes from 'mime/types/standard.js';

const mime = new Mime(standardTypes, otherTypes).define(
  {
    // Not in mime-db, or not under the name journals use.
    'application/x-ndjson': ['jsonl', 'ndjson'],
    'application/yaml': ['yaml', 'yml'],
    'application/x-npy': ['npy'],
    'application/octet-stream': ['bin'],
  },
  true,
);

/** Lower-case extension of a file name without the dot (`''` when none). */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The MIME type for a file name; `application/octet-stream` when unknown. */
export function mimeTypeOf(name: string): string {
  const ext = extensionOf(name);
  return (ext && mime.getType(ext)) || 'application/octet-stream';
}

/** A file extension for a MIME type (ignores parameters like `; charset=utf-8`). */
export function extensionForType(type: string): string {
  const base = type.split(';')[0]!.trim().toLowerCase();
  const known = mime.getExtension(base);
  if (known) return known;
  if (base.endsWith('+json')) return 'json';
  if (base.startsWith('text/')) return 'txt';
  return 'bin';
}

/** True for images (`image/png`, `image/svg+xml` …), by type, else by the file name's extension. */
export function isImageType(type: string | null | undefined, name = ''): boolean {
  return (type || mimeTypeOf(name)).toLowerCase().startsWith('image/');
}

/** Raster images sharp turns into thumbnails (by type, else by the file name's extension). */
export function isRasterImage(type: string | null | undefined, name = ''): boolean {
  return /^image\/(png|jpeg|webp|gif|avif|tiff)$/.test((type || mimeTypeOf(name)).split(';')[0]!.trim().toLowerCase());
}

/** Image types sharp can measure. */
export function isMeasurableImage(type: string): boolean {
  return /^image\/(png|jpeg|webp|gif|avif|tiff|svg\+xml)$/.test(type.split(';')[0]!.trim());
}
