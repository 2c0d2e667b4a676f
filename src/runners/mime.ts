/** MIME types by file extension, for artifacts whose producer did not say. */
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  m4a: 'audio/mp4',
  glb: 'model/gltf-binary',
  ipynb: 'application/x-ipynb+json',
  sql: 'application/sql',
  npy: 'application/octet-stream',
  bin: 'application/octet-stream',
};

const EXTENSION_BY_TYPE: Record<string, string> = Object.fromEntries(
  Object.entries(BY_EXTENSION)
    .reverse()
    .map(([ext, type]) => [type, ext]),
);
EXTENSION_BY_TYPE['image/jpeg'] = 'jpg';
EXTENSION_BY_TYPE['text/plain'] = 'txt';
EXTENSION_BY_TYPE['application/octet-stream'] = 'bin';
EXTENSION_BY_TYPE['application/yaml'] = 'yaml';

/** Lower-case extension of a file name without the dot ('' when none). */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The MIME type for a file name; `application/octet-stream` when unknown. */
export function mimeTypeOf(name: string): string {
  return BY_EXTENSION[extensionOf(name)] ?? 'application/octet-stream';
}

/** A file extension for a MIME type (ignores parameters like `; charset=utf-8`). */
export function extensionForType(type: string): string {
  const base = type.split(';')[0].trim().toLowerCase();
  if (EXTENSION_BY_TYPE[base]) return EXTENSION_BY_TYPE[base];
  if (base.endsWith('+json')) return 'json';
  if (base.startsWith('text/')) return 'txt';
  return 'bin';
}

/** Image types sharp can measure. */
export function isMeasurableImage(type: string): boolean {
  return /^image\/(png|jpeg|webp|gif|avif|tiff|svg\+xml)$/.test(type.split(';')[0].trim());
}
