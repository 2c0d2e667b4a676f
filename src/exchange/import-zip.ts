/**
 * Importing a zip from `lab export --format zip`: every file listed in
 * `lab-export.json` is written back at its path (under another notebook folder
 * with `--notebook`), its sha256 checked first. Files that already exist with the
 * same bytes count as done; with other bytes they are kept and reported.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { createFileAtomic } from '../core/fs/atomic.ts';
import type { JournalIndex } from '../core/model.ts';
import { findNotebook } from '../core/resolve.ts';
import { MANIFEST, ZIP_FORMAT, type ZipManifest } from './export-zip.ts';
import type { Skipped } from './import-plan.ts';
import type { ZipReader } from './zip-reader.ts';

export interface ZipImportResult {
  written: string[];
  unchanged: string[];
  skipped: Skipped[];
}

/** The manifest item when this archive is one of ours. */
export function findManifest(zip: ZipReader) {
  return zip.items.filter((i) => !i.directory && (i.name === MANIFEST || i.name.endsWith(`/${MANIFEST}`))).sort((a, b) => a.name.length - b.name.length)[0];
}

export async function importJournalZip(root: string, index: JournalIndex, zip: ZipReader, options: { notebook?: string }): Promise<ZipImportResult> {
  const item = findManifest(zip)!;
  const base = item.name.slice(0, -MANIFEST.length);
  const manifest = JSON.parse((await zip.buffer(item)).toString('utf8')) as ZipManifest;
  if (manifest.format !== ZIP_FORMAT) throw new LabError(`${item.name}: not a ${ZIP_FORMAT} manifest`);
  let rehome: ((p: string) => string) | null = null;
  let skipNotebookReadme = false;
  if (options.notebook) {
    const nb = findNotebook(index, options.notebook);
    const to = path.posix.dirname(nb.source.path);
    const from = manifest.notebook.folder;
    rehome = (p) => (p.startsWith(`${from}/`) ? `${to}/${p.slice(from.length + 1)}` : p);
    skipNotebookReadme = true;
  }
  const result: ZipImportResult = { written: [], unchanged: [], skipped: [] };
  for (const f of manifest.files) {
    if (!/^content\//.test(f.path) || f.path.split('/').includes('..')) {
      result.skipped.push({ what: f.path, reason: 'outside content/: not restored' });
      continue;
    }
    if (skipNotebookReadme && /^content\/notebooks\/[^/]+\/README\.(md|org)$/.test(f.path)) continue;
    const entry = zip.get(`${base}${f.path}`);
    if (!entry) {
      result.skipped.push({ what: f.path, reason: 'listed in the manifest but not in the archive (or refused as unsafe)' });
      continue;
    }
    const data = await zip.buffer(entry, 4 * 1024 ** 3);
    if (createHash('sha256').update(data).digest('hex') !== f.sha256) {
      result.skipped.push({ what: f.path, reason: 'sha256 mismatch: the archive is damaged' });
      continue;
    }
    const target = rehome ? rehome(f.path) : f.path;
    const abs = path.join(root, target);
    const current = await fs.readFile(abs).catch(() => null);
    if (current) {
      if (current.equals(data)) result.unchanged.push(target);
      else result.skipped.push({ what: target, reason: 'exists with other content (kept yours)' });
      continue;
    }
    await createFileAtomic(abs, data);
    result.written.push(target);
  }
  return result;
}
