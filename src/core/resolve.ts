/** Finding notebooks, pages and entries from what a person types: an id, a slug, a title or a path. */
import path from 'node:path';
import { LabError } from './diagnostics.ts';
import type { Entry, JournalIndex, Notebook, Page } from './model.ts';

function pick<T extends { id: string; slug: string; title: string }>(items: T[], ref: string, what: string): T {
  const exact = items.filter((x) => x.id === ref);
  if (exact.length === 1) return exact[0]!;
  const lower = ref.toLowerCase();
  const matches = items.filter((x) => x.slug === ref || x.title.toLowerCase() === lower);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new LabError(`'${ref}' matches ${matches.length} ${what}s: ${matches.map((m) => m.id).join(', ')}; use an id`);
  }
  const near = items.filter((x) => x.title.toLowerCase().includes(lower) || x.id.includes(ref)).slice(0, 5);
  throw new LabError(`no ${what} '${ref}'${near.length ? ` (did you mean ${near.map((n) => n.id).join(', ')}?)` : ''}`);
}

export function findNotebook(index: JournalIndex, ref: string): Notebook {
  return pick(index.notebooks, ref, 'notebook');
}

export function findPage(index: JournalIndex, ref: string, notebookRef?: string): Page {
  const pages = notebookRef ? index.pages.filter((p) => p.notebook_id === findNotebook(index, notebookRef).id) : index.pages;
  return pick(pages, ref, 'page');
}

/** An entry by id, or by file path (absolute, or relative to `cwd`). */
export function findEntry(index: JournalIndex, ref: string, root: string, cwd: string = root): Entry {
  const byId = index.entries.find((e) => e.id === ref);
  if (byId) return byId;
  if (/[\\/]|\.(md|org)$/i.test(ref)) {
    const rel = path.relative(root, path.resolve(cwd, ref)).split(path.sep).join('/');
    const byPath = index.entries.find((e) => e.source.path === rel);
    if (byPath) return byPath;
    throw new LabError(`no entry at ${ref} (is it under content/notebooks/<nb>/<page>/entries/ and valid? run 'lab check')`);
  }
  const near = index.entries.filter((e) => e.id.startsWith(ref) || e.title.toLowerCase().includes(ref.toLowerCase())).slice(0, 5);
  if (near.length === 1 && near[0]!.id.startsWith(ref)) return near[0]!;
  throw new LabError(`no entry '${ref}'${near.length ? ` (did you mean ${near.map((n) => `${n.id} "${n.title}"`).join(', ')}?)` : ''}`);
}
