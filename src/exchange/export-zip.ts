/**
 * `lab export … --format zip`: the journal's own files for the scope — notebook
 * and page READMEs, entry files, the files beside them, and the blobs they use —
 * under one root folder, with `lab-export.json` listing each file's sha256 so
 * `lab import` can restore them exactly and verify every byte.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { slugify } from '../core/schema/common.ts';
import { BlobStore } from '../runners/blobs.ts';
import type { ExportResult } from './export-eln.ts';
import { blobFile, type ExportScope, folderOf, hashFile } from './scope.ts';
import { ZipWriter } from './zip-writer.ts';

export const MANIFEST = 'lab-export.json';
export const ZIP_FORMAT = 'codex-lab-journal-zip';

/** `lab-export.json`. */
export interface ZipManifest {
  format: typeof ZIP_FORMAT;
  version: 1;
  kind: ExportScope['kind'];
  id: string;
  /** The notebook's id and folder (`content/notebooks/<folder>`), so `--notebook` can re-home the files. */
  notebook: { id: string; folder: string };
  /** Workspace-relative paths (as stored under the root folder), sorted, with hex sha256 and size. */
  files: { path: string; sha256: string; size: number }[];
}

export async function exportZip(root: string, scope: ExportScope, out: string): Promise<ExportResult> {
  const store = new BlobStore(root);
  const paths = new Set<string>();
  const skipped: ExportResult['skipped'] = [];
  paths.add(scope.notebook.source.path);
  for (const { page, entries } of scope.pages) {
    if (scope.kind === 'entry') {
      paths.add(page.source.path);
      for (const e of entries) {
        paths.add(e.source.path);
        for (const f of e.input_files) paths.add(f);
      }
    } else {
      // The page folder as it is: entries, input files, anything else the scientist keeps there.
      for (const f of await fg('**/*', { cwd: path.join(root, folderOf(page.source)), onlyFiles: true, dot: false, followSymbolicLinks: false })) {
        paths.add(`${folderOf(page.source)}/${f}`);
      }
    }
    for (const e of entries) {
      const hashes = [...e.artifacts.filter((a) => a.archived?.strategy !== 'drop').map((a) => a.hash), ...Object.values(e.logs)];
      for (const h of hashes) {
        const file = await blobFile(store, h);
        if (file) paths.add(path.relative(root, file).split(path.sep).join('/'));
        else if (h) skipped.push({ what: `${e.id}: ${h.slice(0, 19)}…`, reason: 'blob missing from the store' });
      }
    }
  }
  const zip = new ZipWriter();
  const rootDir = slugify(scope.title);
  const files: ZipManifest['files'] = [];
  let bytes = 0;
  for (const rel of [...paths].sort()) {
    const abs = path.join(root, rel);
    const st = await fs.lstat(abs).catch(() => null);
    if (!st?.isFile()) {
      skipped.push({ what: rel, reason: st ? 'not a regular file' : 'missing' });
      continue;
    }
    const facts = await hashFile(abs);
    zip.addFile(abs, `${rootDir}/${rel}`);
    files.push({ path: rel, ...facts });
    bytes += facts.size;
  }
  const manifest: ZipManifest = {
    format: ZIP_FORMAT,
    version: 1,
    kind: scope.kind,
    id: scope.id,
    notebook: { id: scope.notebook.id, folder: folderOf(scope.notebook.source) },
    files,
  };
  const data = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  zip.addBuffer(data, `${rootDir}/${MANIFEST}`);
  await zip.writeTo(out);
  return { file: out, format: 'zip', files: files.length + 1, bytes: bytes + data.byteLength, skipped };
}
