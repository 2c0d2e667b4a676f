/**
 * Stage 4 — link: place every record in its notebook and page (by folder), give
 * notebooks and pages their default ids, check ids are unique and that `parent`
 * and `variation_of` point at entries that exist.
 */
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { EntryDerived, Notebook, Page } from '../model.ts';
import type { EntryFacts, SourceRecord } from './summarize.ts';

/** An entry placed in its page and notebook; its own fields stay in its summary. */
export interface LinkedEntry extends EntryDerived {
  facts: EntryFacts;
  record: SourceRecord;
}

export interface Linked {
  notebooks: Notebook[];
  pages: Page[];
  entries: LinkedEntry[];
  diagnostics: Diagnostic[];
}

/**
 * What failed validation: the ids those files claim and their paths. Nothing
 * that only points at them is reported again (no cascade of follow-up errors).
 */
export interface Failed {
  ids: ReadonlySet<string>;
  paths: ReadonlySet<string>;
}

/**
 * Links the records of the files that validated; `records` is sorted by path.
 * One bad file is one problem: what lies below a notebook or page that could
 * not be placed (invalid, missing, a duplicate id) is not reported again.
 */
export function link(records: SourceRecord[], failed: Failed): Linked {
  const diagnostics: Diagnostic[] = [];
  // Folders whose README failed to validate (README.md or README.org).
  const failedDirs = new Set([...failed.paths].map((p) => path.posix.dirname(p)));
  // Folders whose notebook or page could not be placed and was already reported.
  const reported = new Set<string>();
  const notebooksByDir = new Map<string, Notebook>();
  const pagesByDir = new Map<string, Page>();
  const idOwners = new Map<string, SourceRecord>();
  const at = (r: SourceRecord, key: string) => {
    const p = r.at[key];
    return p && { line: p[0], column: p[1] };
  };

  const claim = (id: string, r: SourceRecord) => {
    const other = idOwners.get(id);
    if (other) {
      diagnostics.push(diagnostic(r.path, at(r, 'id'), 'error', 'duplicate-id', `duplicate id \`${id}\`: also used by ${other.path}`));
      return false;
    }
    idOwners.set(id, r);
    return true;
  };

  for (const r of records) {
    const n = r.notebook;
    if (!n) continue;
    const dir = path.posix.dirname(r.path);
    const slug = path.posix.basename(dir);
    const id = n.id ?? `nb-${slug}`;
    if (!claim(id, r)) {
      reported.add(dir);
      continue;
    }
    notebooksByDir.set(dir, {
      id,
      slug,
      title: n.title,
      description: n.description,
      tags: n.tags,
      color: n.color,
      icon: n.icon,
      settings: n.settings,
      overview: n.overview,
      page_ids: [],
      stats: { pages: 0, entries: 0 },
      last_activity: null,
      source: n.source,
    });
  }
  for (const r of records) {
    const p = r.page;
    if (!p) continue;
    const dir = path.posix.dirname(r.path);
    const nbDir = path.posix.dirname(dir);
    const notebook = notebooksByDir.get(nbDir);
    if (!notebook) {
      reported.add(dir);
      if (!failedDirs.has(nbDir) && !reported.has(nbDir)) {
        reported.add(nbDir);
        diagnostics.push(
          diagnostic(
            r.path,
            { line: 1, column: 1 },
            'error',
            'orphan-page',
            `page is not inside a notebook: ${nbDir}/README.md is missing (its pages are left out until it exists)`,
          ),
        );
      }
      continue;
    }
    const slug = path.posix.basename(dir);
    // Implicit ids come from the whole path below notebooks/, so dated page folders may repeat across notebooks.
    const id = p.id ?? `page-${path.posix.basename(nbDir)}-${slug}`;
    if (!claim(id, r)) {
      reported.add(dir);
      continue;
    }
    pagesByDir.set(dir, {
      id,
      slug,
      notebook_id: notebook.id,
      title: p.title,
      date: p.date,
      tags: p.tags,
      status: p.status,
      narrative: p.narrative,
      entry_ids: [],
      source: p.source,
    });
    notebook.page_ids.push(id);
  }
  const entries: LinkedEntry[] = [];
  for (const r of records) {
    const e = r.entry;
    if (!e) continue;
    const pageDir = path.posix.dirname(path.posix.dirname(r.path));
    const page = pagesByDir.get(pageDir);
    if (!page) {
      const nbDir = path.posix.dirname(pageDir);
      if (!failedDirs.has(pageDir) && !failedDirs.has(nbDir) && !reported.has(pageDir) && !reported.has(nbDir)) {
        reported.add(pageDir);
        diagnostics.push(
          diagnostic(
            r.path,
            { line: 1, column: 1 },
            'error',
            'orphan-entry',
            `entry is not inside a page: ${pageDir}/README.md is missing (the entries of that folder are left out until it exists)`,
          ),
        );
      }
      continue;
    }
    if (!claim(e.id, r)) continue;
    const notebook = notebooksByDir.get(path.posix.dirname(pageDir))!;
    entries.push({
      id: e.id,
      page_id: page.id,
      notebook_id: notebook.id,
      type: e.type ?? notebook.settings.default_entry_type ?? 'manual',
      stale: false,
      lineage: { parent_id: e.parent, children_ids: [], variation_of: e.variation_of, variation_ids: [] },
      facts: e,
      record: r,
    });
    page.entry_ids.push(e.id);
  }

  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const e of entries) {
    for (const key of ['parent', 'variation_of'] as const) {
      const target = key === 'parent' ? e.lineage.parent_id : e.lineage.variation_of;
      if (!target) continue;
      const ref = byId.get(target);
      if (ref) {
        (key === 'parent' ? ref.lineage.children_ids : ref.lineage.variation_ids).push(e.id);
      } else if (!failed.ids.has(target)) {
        const kind = idOwners.has(target) ? `\`${target}\` is not an entry` : `no entry has id \`${target}\``;
        diagnostics.push(diagnostic(e.record.path, at(e.record, key), 'error', 'dangling-reference', `\`${key}\` points nowhere: ${kind}`));
      }
    }
  }
  return { notebooks: [...notebooksByDir.values()], pages: [...pagesByDir.values()], entries, diagnostics };
}
