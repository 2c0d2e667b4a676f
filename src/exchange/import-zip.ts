/**
 * Importing a zip from `lab export --format zip`: every file listed in
 * `lab-export.json` is written back at its path (under another notebook folder
 * with `--notebook`), its sha256 checked first. Files that already exist with the
 * same bytes count as done; with other bytes they are kept and reported.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LabError } from '../core/diagnostics.ts';
import type { JournalIndex } from '../core/model.ts';
import { findNotebook } from '../core/resolve.ts';
import { MANIFEST, ZIP_FORMAT, type ZipManifest } from './export-zip.ts';
import type { Skipped } from './import-plan.ts';
import { hashFile } from './scope.ts';
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
    const target = rehome ? rehome(f.path) : f.path;
    const abs = path.join(root, target);
    const current = await hashFile(abs).catch(() => null);
    if (current) {
      if (current.sha256 === f.sha256) result.unchanged.push(target);
      else result.skipped.push({ what: target, reason: 'exists with other content (kept yours)' });
      continue;
    }
    const outcome = await extract(await zip.stream(entry), abs, f.sha256);
    if (outcome === 'written') result.written.push(target);
    else result.skipped.push({ what: target, reason: outcome });
  }
  return result;
}

/**
 * Streams an entry to a temp file beside `target` while hashing it, then links it into
 * place only when the hash matches and `target` still does not exist: large files never
 * sit in memory, a damaged archive writes nothing, and nothing is clobbered.
 */
async function extract(stream: AsyncIterable<Uint8Array>, target: string, sha256: string): Promise<'written' | string> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  try {
    try {
      await pipeline(
        stream,
        async function* (source: AsyncIterable<Uint8Array>) {
          for await (const chunk of source) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
    } catch (e) {
      return `cannot be read from the archive (${(e as Error).message})`;
    }
    if (hash.digest('hex') !== sha256) return 'sha256 mismatch: the archive is damaged';
    await fs.link(tmp, target).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    return 'written';
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
