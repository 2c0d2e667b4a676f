/**
 * How a built site compares with GitHub Pages' documented limits:
 *  - "Published GitHub Pages sites may be no larger than 1 GB" (docs.github.com, GitHub Pages limits);
 *  - actions/upload-pages-artifact packs the folder as one uncompressed tar (links dereferenced):
 *    "under 10GB in size (we recommend under 1 GB!)" — 1 GB is the supported maximum, 10 GB the
 *    size Pages will not even try to deploy; a deployment also times out after 10 minutes.
 * No limit on the number of files is documented; the count is reported because it drives the
 * tar's size (512 bytes of header per entry) and the upload and deployment time.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Bytes; the limits are read as decimal gigabytes, the stricter reading. */
const PAGES_SITE_LIMIT = 1e9;
const PAGES_ARTIFACT_HARD_LIMIT = 10e9;

interface SiteSize {
  /** Sum of the files' sizes. */
  bytes: number;
  files: number;
  directories: number;
  largest: { path: string; bytes: number };
  /** The size of the tar upload-pages-artifact would make: a 512-byte header per entry, contents padded to 512, 1 KB end. */
  tarBytes: number;
  /** Files and their bytes per top-level folder (`pagefind`, `entries`, `api`…), largest first. */
  byFolder: { folder: string; files: number; bytes: number }[];
}

export function measureSite(dir: string): SiteSize {
  const size: SiteSize = { bytes: 0, files: 0, directories: 0, largest: { path: '', bytes: 0 }, tarBytes: 1024, byFolder: [] };
  const folders = new Map<string, { files: number; bytes: number }>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, full);
    if (e.isDirectory()) {
      size.directories++;
      size.tarBytes += 512;
      continue;
    }
    // The tar follows links: a linked file costs its full size.
    const bytes = e.isSymbolicLink() ? 0 : lstatSync(full).size;
    size.files++;
    size.bytes += bytes;
    size.tarBytes += 512 + Math.ceil(bytes / 512) * 512;
    if (bytes > size.largest.bytes) size.largest = { path: rel, bytes };
    const top = rel.includes(path.sep) ? rel.slice(0, rel.indexOf(path.sep)) : '(root)';
    const f = folders.get(top) ?? { files: 0, bytes: 0 };
    f.files++;
    f.bytes += bytes;
    folders.set(top, f);
  }
  size.byFolder = [...folders].map(([folder, f]) => ({ folder, ...f })).sort((a, b) => b.bytes - a.bytes);
  return size;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const share = (n: number, limit: number) => `${((100 * n) / limit).toFixed(1)} %`;

/** Report lines: totals, the largest file and folders, and each limit with the share used. */
export function describeHosting(s: SiteSize, entries: number): string[] {
  const lines = [
    `dist/: ${mb(s.bytes)} in ${s.files} files, ${s.directories} folders; largest file ${s.largest.path} (${mb(s.largest.bytes)})`,
    `  by folder: ${s.byFolder
      .slice(0, 6)
      .map((f) => `${f.folder} ${mb(f.bytes)}/${f.files} files`)
      .join(', ')}`,
    `  per entry: ${(s.bytes / Math.max(1, entries) / 1e3).toFixed(1)} KB, ${(s.files / Math.max(1, entries)).toFixed(2)} files`,
    `GitHub Pages: site ${mb(s.bytes)} of 1 GB (${share(s.bytes, PAGES_SITE_LIMIT)})${s.bytes > PAGES_SITE_LIMIT ? '  ← over the limit' : ''}; ` +
      `artifact tar ≈ ${mb(s.tarBytes)} of 1 GB supported (${share(s.tarBytes, PAGES_SITE_LIMIT)}), 10 GB absolute (${share(s.tarBytes, PAGES_ARTIFACT_HARD_LIMIT)})` +
      `${s.tarBytes > PAGES_SITE_LIMIT ? '  ← over the supported size' : ''}`,
  ];
  const perEntry = s.tarBytes / Math.max(1, entries);
  lines.push(`  at this size per entry, the 1 GB artifact holds ≈ ${Math.floor(PAGES_SITE_LIMIT / perEntry).toLocaleString('en')} entries`);
  return lines;
}
