/**
 * Making an import plan real: notebook, pages and entries as files, Files into
 * the blob store (sha256 verified when the crate states it; a mismatch skips the
 * file). Idempotent: a notebook or page whose id exists is reused, an entry whose
 * id exists is skipped — so a second import creates nothing. Nothing existing is
 * ever overwritten.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from '../core/authoring.ts';
import { LabError } from '../core/diagnostics.ts';
import { createFileAtomic } from '../core/fs/atomic.ts';
import { extensionForType, extensionOf, isMeasurableImage } from '../core/mime.ts';
import type { JournalIndex } from '../core/model.ts';
import { findNotebook } from '../core/resolve.ts';
import { slugify } from '../core/schema/common.ts';
import { type Artifact, ENTRY_KEYS } from '../core/schema/entry.ts';
import { BlobStore } from '../runners/blobs.ts';
import type { ImportPlan, PlannedEntry, PlannedFile, Skipped } from './import-plan.ts';
import { exists } from './scope.ts';
import type { ZipReader } from './zip-reader.ts';

export interface WriteResult {
  notebook: { id: string; created: boolean };
  pages: { id: string; path: string; created: boolean }[];
  entries: { id: string; path: string; files: number }[];
  skipped: Skipped[];
  failed: Skipped[];
}

export async function writePlan(root: string, index: JournalIndex, plan: ImportPlan, zip: ZipReader, options: { notebook?: string }): Promise<WriteResult> {
  const store = new BlobStore(root);
  const skipped: Skipped[] = [...plan.skipped];
  const failed: Skipped[] = [];
  const notebooksDir = path.join(root, 'content', 'notebooks');

  // The notebook: --notebook (an existing one, or a new one by that name), else the crate's own.
  let nbDir: string;
  let nbId: string;
  let nbCreated = false;
  const existing = options.notebook ? tryFind(index, options.notebook) : index.notebooks.find((n) => n.id === plan.notebook.id);
  if (existing) {
    nbDir = path.join(root, path.dirname(existing.source.path));
    nbId = existing.id;
  } else {
    const title = options.notebook ?? String(plan.notebook.fields.title ?? plan.notebook.folder);
    const folder = options.notebook ? slugify(options.notebook) : plan.notebook.folder;
    nbId = options.notebook ? `nb-${folder}` : plan.notebook.id;
    nbDir = await freeDir(notebooksDir, folder);
    const fields = options.notebook ? { title, id: nbId } : { ...plan.notebook.fields, id: nbId };
    await createFileAtomic(path.join(nbDir, 'README.md'), renderMarkdown(fields, plan.notebook.body));
    nbCreated = true;
  }

  const known = new Set(index.entries.map((e) => e.id));
  const planned = new Set(plan.pages.flatMap((p) => p.entries.map((e) => e.id)));
  const pages: WriteResult['pages'] = [];
  const entries: WriteResult['entries'] = [];
  for (const p of plan.pages) {
    const page = index.pages.find((x) => x.id === p.id);
    let pageDir: string;
    if (page) {
      pageDir = path.join(root, path.dirname(page.source.path));
      if (page.notebook_id !== nbId) skipped.push({ what: p.id, reason: `page already imported into notebook ${page.notebook_id}; its new entries go there` });
      pages.push({ id: p.id, path: rel(root, pageDir), created: false });
    } else {
      pageDir = await freeDir(nbDir, p.folder);
      await createFileAtomic(path.join(pageDir, 'README.md'), renderMarkdown(p.fields, p.body));
      pages.push({ id: p.id, path: rel(root, pageDir), created: true });
    }
    const entriesDir = path.join(pageDir, 'entries');
    await fs.mkdir(entriesDir, { recursive: true });
    for (const e of p.entries) {
      if (known.has(e.id)) {
        const at = index.entries.find((x) => x.id === e.id)?.source.path;
        skipped.push({ what: e.id, reason: `already imported${at ? ` (${at})` : ''}` });
        continue;
      }
      try {
        const file = await writeEntry(root, entriesDir, e, store, zip, skipped, (id) => known.has(id) || planned.has(id));
        known.add(e.id);
        entries.push({ id: e.id, path: rel(root, file), files: e.files.length });
      } catch (err) {
        failed.push({ what: `${e.id} (${String(e.fields.title)})`, reason: (err as Error).message });
      }
    }
  }
  return { notebook: { id: nbId, created: nbCreated }, pages, entries, skipped, failed };
}

async function writeEntry(
  root: string,
  entriesDir: string,
  e: PlannedEntry,
  store: BlobStore,
  zip: ZipReader,
  skipped: Skipped[],
  idExists: (id: string) => boolean,
): Promise<string> {
  const artifacts: Artifact[] = [];
  const logs: Record<string, string> = {};
  const names = await fs.readdir(entriesDir);
  const next = names.reduce((m, n) => Math.max(m, Number(/^(\d+)-/.exec(n)?.[1] ?? 0)), 0) + 1;
  const ownNumber = /^\d+-/.test(e.slug) && !names.some((n) => n.startsWith(`${e.slug}.`));
  const file = path.join(entriesDir, `${ownNumber ? e.slug : `${String(next).padStart(3, '0')}-${e.slug}`}.md`);
  for (const f of e.files) {
    if (f.role === 'input') {
      await writeInput(root, path.dirname(file), f, zip, skipped);
      continue;
    }
    const stored = await storeFile(store, zip, f).catch((err: Error) => {
      skipped.push({ what: `${e.id}: ${f.name}`, reason: err.message });
      return null;
    });
    if (!stored) continue;
    if (f.role === 'log') logs[f.stream!] = stored.hash;
    else artifacts.push(await artifactOf(f, stored));
  }
  const fields: Record<string, unknown> = { ...e.fields };
  for (const key of ['parent', 'variation_of'] as const) {
    const target = fields[key];
    if (typeof target === 'string' && !idExists(target)) {
      delete fields[key];
      fields.imported = { ...(fields.imported as object | undefined), [key]: target };
    }
  }
  if (artifacts.length) fields.artifacts = artifacts;
  if (Object.keys(logs).length) fields.logs = logs;
  // Keys in the order people read entries in (`imported` last).
  const ordered = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => keyRank(a) - keyRank(b)));
  await createFileAtomic(file, renderMarkdown(ordered, e.notes));
  return file;
}

async function storeFile(store: BlobStore, zip: ZipReader, f: PlannedFile) {
  const ext = extensionOf(f.name) || extensionForType(f.type);
  return store.putStream(await zip.stream(f.item), ext, f.sha256 ? `sha256:${f.sha256}` : undefined);
}

async function artifactOf(f: PlannedFile, stored: { hash: string; size: number; path: string }): Promise<Artifact> {
  const a: Artifact = { name: f.name, hash: stored.hash, type: f.type, size_bytes: stored.size };
  if (isMeasurableImage(f.type) && f.type !== 'image/svg+xml') {
    const sharp = (await import('sharp')).default;
    const meta = await sharp(stored.path)
      .metadata()
      .catch(() => null);
    if (meta?.width && meta.height) Object.assign(a, { width: meta.width, height: meta.height });
  }
  return a;
}

/** Writes an input file next to the entry, where its reference points; never outside the page, never over a different file. */
async function writeInput(root: string, entryDir: string, f: PlannedFile, zip: ZipReader, skipped: Skipped[]): Promise<void> {
  const target = path.resolve(entryDir, f.ref ?? f.name);
  const pageDir = path.dirname(entryDir);
  if (!target.startsWith(pageDir + path.sep)) {
    skipped.push({ what: f.ref ?? f.name, reason: 'input file would land outside the page folder' });
    return;
  }
  const data = await zip.buffer(f.item);
  const current = await fs.readFile(target).catch(() => null);
  if (current) {
    if (!current.equals(data)) skipped.push({ what: rel(root, target), reason: 'exists with other content (kept yours)' });
    return;
  }
  await createFileAtomic(target, data);
}

function keyRank(key: string): number {
  const i = (ENTRY_KEYS as readonly string[]).indexOf(key);
  return i < 0 ? ENTRY_KEYS.length : i;
}

function tryFind(index: JournalIndex, ref: string) {
  try {
    return findNotebook(index, ref);
  } catch (e) {
    if (e instanceof LabError) return undefined;
    throw e;
  }
}

async function freeDir(parent: string, slug: string): Promise<string> {
  for (let i = 1; ; i++) {
    const dir = path.join(parent, i === 1 ? slug : `${slug}-${i}`);
    if (!(await exists(dir))) return dir;
  }
}

function rel(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/');
}
