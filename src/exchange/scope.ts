/**
 * What `lab export notebook|page|entry <id>` covers: the notebook (always, as the
 * container), the pages in scope and their entries — with every file each one
 * needs: artifacts and logs from the blob store, input files next to the entry.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Entry, JournalIndex, Notebook, Page } from '../core/model.ts';
import { findEntry, findNotebook, findPage } from '../core/resolve.ts';
import { BlobStore } from '../runners/blobs.ts';

export type ExportKind = 'notebook' | 'page' | 'entry';

export interface ExportScope {
  kind: ExportKind;
  /** The id of the exported thing. */
  id: string;
  title: string;
  notebook: Notebook;
  pages: { page: Page; entries: Entry[] }[];
}

export function selectScope(index: JournalIndex, kind: ExportKind, ref: string, root: string, cwd: string): ExportScope {
  const entriesOf = (p: Page) => p.entry_ids.map((id) => index.entries.find((e) => e.id === id)!).filter(Boolean);
  if (kind === 'notebook') {
    const nb = findNotebook(index, ref);
    const pages = nb.page_ids.map((id) => index.pages.find((p) => p.id === id)!).filter(Boolean);
    return { kind, id: nb.id, title: nb.title, notebook: nb, pages: pages.map((page) => ({ page, entries: entriesOf(page) })) };
  }
  if (kind === 'page') {
    const page = findPage(index, ref);
    const nb = index.notebooks.find((n) => n.id === page.notebook_id)!;
    return { kind, id: page.id, title: page.title, notebook: nb, pages: [{ page, entries: entriesOf(page) }] };
  }
  const entry = findEntry(index, ref, root, cwd);
  const page = index.pages.find((p) => p.id === entry.page_id)!;
  const nb = index.notebooks.find((n) => n.id === entry.notebook_id)!;
  return { kind, id: entry.id, title: entry.title, notebook: nb, pages: [{ page, entries: [entry] }] };
}

/** A blob's file, when the store has it. */
export async function blobFile(store: BlobStore, hash: string | null | undefined): Promise<string | null> {
  return hash && /^sha256:[0-9a-f]{64}$/.test(hash) ? store.find(hash) : null;
}

/** Hex sha256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: h.digest('hex'), size };
}

/** The folder of a notebook or page source file, workspace-relative. */
export function folderOf(source: { path: string }): string {
  return path.posix.dirname(source.path);
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
