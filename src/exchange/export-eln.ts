/**
 * `lab export … --format eln`: the scope as an ELN Consortium `.eln` — one root
 * folder holding `ro-crate-metadata.json` and every file, streamed into the zip.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mimeTypeOf } from '../core/mime.ts';
import type { Entry } from '../core/model.ts';
import { slugify } from '../core/schema/common.ts';
import { splitMarkdown } from '../core/source/frontmatter.ts';
import { BlobStore } from '../runners/blobs.ts';
import { VERSION } from '../version.ts';
import { DESCRIPTOR_ID } from './crate.ts';
import { buildCrate, type CrateEntry, type CrateFile, type CratePage } from './crate-build.ts';
import { blobFile, type ExportScope, folderOf, hashFile } from './scope.ts';
import { ZipWriter } from './zip-writer.ts';

export interface ExportResult {
  file: string;
  format: 'eln' | 'zip';
  /** Files written into the archive (metadata included). */
  files: number;
  bytes: number;
  /** What was left out, and why. */
  skipped: { what: string; reason: string }[];
}

/** A file name safe in every zip tool and file system. */
function safeName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '-')
    .replace(/^[.\s-]+/, '')
    .trim();
  return cleaned.slice(0, 120) || 'file';
}

export async function exportEln(root: string, scope: ExportScope, out: string, license: string | null): Promise<ExportResult> {
  const store = new BlobStore(root);
  const zip = new ZipWriter();
  const rootDir = slugify(scope.title);
  const skipped: ExportResult['skipped'] = [];
  let bytes = 0;
  let files = 0;
  const nbDir = path.posix.basename(folderOf(scope.notebook.source));
  const pages: CratePage[] = [];
  for (const { page, entries } of scope.pages) {
    const pageDir = `${nbDir}/${path.posix.basename(folderOf(page.source))}`;
    const body = await readBody(root, page.source.path);
    const crateEntries: CrateEntry[] = [];
    for (const e of entries) {
      const dir = `${pageDir}/${e.slug}`;
      const used = new Set<string>();
      const unique = (name: string) => {
        let n = safeName(name);
        for (let i = 2; used.has(n); i++) n = `${i}-${safeName(name)}`;
        used.add(n);
        return n;
      };
      const artifacts: CrateFile[] = [];
      for (const a of e.artifacts) {
        if (a.archived?.strategy === 'drop') {
          skipped.push({ what: `${e.id}: ${a.name}`, reason: 'archived with drop: no bytes to export' });
          continue;
        }
        const file = await blobFile(store, a.hash);
        if (!file) {
          skipped.push({ what: `${e.id}: ${a.name}`, reason: 'blob missing from the store' });
          continue;
        }
        const rel = `${dir}/${unique(a.name)}`;
        const { size } = await fs.stat(file);
        zip.addFile(file, `${rootDir}/${rel}`);
        files++;
        bytes += size;
        artifacts.push({
          path: rel,
          name: a.name,
          type: a.type ?? 'application/octet-stream',
          size,
          sha256: a.hash.slice(7),
          description: a.archived
            ? `archived (${a.archived.strategy}); original sha256:${a.archived.original_hash.slice(7)}, ${a.archived.original_size_bytes} bytes`
            : undefined,
        });
      }
      const inputFiles: CrateFile[] = [];
      const entryFolder = path.posix.dirname(e.source.path);
      for (const rel of e.input_files) {
        const abs = path.join(root, rel);
        const facts = await hashFile(abs).catch(() => null);
        if (!facts) {
          skipped.push({ what: `${e.id}: ${rel}`, reason: 'input file missing' });
          continue;
        }
        const inCrate = `${dir}/inputs/${unique(path.posix.basename(rel))}`;
        zip.addFile(abs, `${rootDir}/${inCrate}`);
        files++;
        bytes += facts.size;
        const written = path.posix.relative(entryFolder, rel);
        inputFiles.push({
          path: inCrate,
          name: path.posix.basename(rel),
          type: mimeTypeOf(rel),
          ...facts,
          alternateName: written.startsWith('.') ? written : `./${written}`,
        });
      }
      const logs: CrateEntry['logs'] = [];
      for (const [stream, hash] of Object.entries(e.logs).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const file = await blobFile(store, hash);
        if (!file) continue;
        const { size } = await fs.stat(file);
        const rel = `${dir}/logs/${safeName(stream)}.txt`;
        zip.addFile(file, `${rootDir}/${rel}`);
        files++;
        bytes += size;
        logs.push({ path: rel, name: `${stream}.txt`, type: 'text/plain', size, sha256: hash!.slice(7), stream });
      }
      crateEntries.push(crateEntry(e, dir, artifacts, inputFiles, logs));
    }
    pages.push({
      id: page.id,
      dir: pageDir,
      title: page.title,
      date: page.date,
      status: page.status,
      tags: page.tags,
      text: body,
      textFormat: page.source.format === 'org' ? 'text/x-org' : 'text/markdown',
      entries: crateEntries,
    });
  }
  const crate = buildCrate({
    kind: scope.kind,
    id: scope.id,
    title: scope.title,
    license,
    version: VERSION,
    notebook: { id: scope.notebook.id, dir: nbDir, title: scope.notebook.title, description: scope.notebook.description, tags: scope.notebook.tags, pages },
  });
  const metadata = Buffer.from(`${JSON.stringify(crate, null, 2)}\n`);
  zip.addBuffer(metadata, `${rootDir}/${DESCRIPTOR_ID}`);
  await zip.writeTo(out);
  return { file: out, format: 'eln', files: files + 1, bytes: bytes + metadata.byteLength, skipped };
}

function crateEntry(e: Entry, dir: string, artifacts: CrateFile[], inputFiles: CrateFile[], logs: CrateEntry['logs']): CrateEntry {
  return {
    id: e.id,
    dir,
    title: e.title,
    type: e.type,
    created: e.created,
    status: e.status,
    tags: e.metadata.tags,
    rating: e.metadata.rating,
    notes: e.metadata.notes,
    notesFormat: e.source.format === 'org' ? 'text/x-org' : 'text/markdown',
    parent: e.lineage.parent_id,
    variation_of: e.lineage.variation_of,
    inputs: e.inputs,
    outputs: e.outputs,
    metrics: e.metrics,
    execution: (e.execution as Record<string, unknown> | null) ?? null,
    artifacts,
    inputFiles,
    logs,
  };
}

async function readBody(root: string, rel: string): Promise<string> {
  const text = await fs.readFile(path.join(root, rel), 'utf8').catch(() => '');
  if (rel.endsWith('.org'))
    return text
      .split('\n')
      .filter((l) => !/^#\+\w+:/.test(l))
      .join('\n')
      .trim();
  return splitMarkdown(text).body.trim();
}
