/**
 * Stage 4 — link: place every record in its notebook and page (by folder), give
 * notebooks and pages their default ids, check ids are unique and that `parent`
 * and `variation_of` point at entries that exist.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { Entry, Notebook, Page } from '../model.ts';
import { positionOf } from '../source/positions.ts';
import type { ParsedSource } from './parse.ts';
import type { Validated } from './validate.ts';
import { resolveReference } from '../inputs.ts';

export interface Linked {
  notebooks: Notebook[];
  pages: Page[];
  entries: Entry[];
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

export function link(records: Validated[], failed: Failed): Linked {
  const diagnostics: Diagnostic[] = [];
  const notebooksByDir = new Map<string, Notebook>();
  const pagesByDir = new Map<string, Page>();
  const idOwners = new Map<string, ParsedSource>();

  const claim = (id: string, source: ParsedSource) => {
    const other = idOwners.get(id);
    if (other) {
      const p = positionOf(source.positions, ['id']);
      diagnostics.push(diagnostic(source.path, p && { line: p[0], column: p[1] }, 'error', 'duplicate-id',
        `duplicate id \`${id}\`: also used by ${other.path}`));
      return false;
    }
    idOwners.set(id, source);
    return true;
  };

  const sorted = [...records].sort((a, b) => cmp(a.source.path, b.source.path));
  for (const r of sorted) {
    if (r.kind !== 'notebook') continue;
    const dir = path.posix.dirname(r.source.path);
    const slug = path.posix.basename(dir);
    const id = r.data.id ?? `nb-${slug}`;
    if (!claim(id, r.source)) continue;
    notebooksByDir.set(dir, {
      id, slug, title: r.data.title, description: r.data.description ?? null, tags: r.data.tags ?? [],
      color: r.data.color ?? null, icon: r.data.icon ?? null, settings: r.data.settings ?? {},
      overview: r.source.body.trim(), page_ids: [], stats: { pages: 0, entries: 0 }, last_activity: null,
      source: r.source.ref,
    });
  }
  for (const r of sorted) {
    if (r.kind !== 'page') continue;
    const dir = path.posix.dirname(r.source.path);
    const notebook = notebooksByDir.get(path.posix.dirname(dir));
    if (!notebook) {
      if (!failed.paths.has(`${path.posix.dirname(dir)}/README.md`)) {
        diagnostics.push(diagnostic(r.source.path, { line: 1, column: 1 }, 'error', 'orphan-page',
          `page is not inside a notebook: ${path.posix.dirname(dir)}/README.md is missing or invalid`));
      }
      continue;
    }
    const slug = path.posix.basename(dir);
    const id = r.data.id ?? `page-${slug}`;
    if (!claim(id, r.source)) continue;
    const narrative = r.source.narrative ?? { goals: null, hypothesis: null, observations: null, conclusions: null, next_steps: null, other: r.source.body.trim() || null };
    pagesByDir.set(dir, {
      id, slug, notebook_id: notebook.id, title: r.data.title, date: r.data.date ?? null, tags: r.data.tags ?? [],
      status: r.data.status ?? 'active', narrative, entry_ids: [], source: r.source.ref,
    });
    notebook.page_ids.push(id);
  }
  const entries: Entry[] = [];
  for (const r of sorted) {
    if (r.kind !== 'entry') continue;
    const pageDir = path.posix.dirname(path.posix.dirname(r.source.path));
    const page = pagesByDir.get(pageDir);
    if (!page) {
      if (!failed.paths.has(`${pageDir}/README.md`) && !failed.paths.has(`${path.posix.dirname(pageDir)}/README.md`)) {
        diagnostics.push(diagnostic(r.source.path, { line: 1, column: 1 }, 'error', 'orphan-entry',
          `entry is not inside a page: ${pageDir}/README.md is missing or invalid`));
      }
      continue;
    }
    if (!claim(r.data.id, r.source)) continue;
    const notebook = notebooksByDir.get(path.posix.dirname(pageDir))!;
    const d = r.data;
    const inputs = d.inputs ?? {};
    entries.push({
      id: d.id, slug: path.posix.basename(r.source.path).replace(/\.(md|org)$/i, ''), page_id: page.id, notebook_id: notebook.id,
      title: d.title, type: d.type ?? notebook.settings.default_entry_type ?? 'manual', created: d.created ?? null,
      status: d.status ?? 'created', inputs, outputs: d.outputs ?? {}, metrics: d.metrics ?? {}, artifacts: d.artifacts ?? [],
      logs: d.logs ?? {}, execution: d.execution ?? null,
      lineage: { parent_id: d.parent ?? null, children_ids: [], variation_of: d.variation_of ?? null, variation_ids: [] },
      metadata: { tags: d.tags ?? [], notes: r.source.body.trim(), rating: d.rating ?? null, archived: d.archived ?? null },
      input_files: [...new Set(r.inputRefs.map((f) => resolveReference(r.source.path, f.ref)))].sort(),
      stale: false, source: r.source.ref,
    });
    page.entry_ids.push(d.id);
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
        const p = positionOf(idOwners.get(e.id)!.positions, [key]);
        const kind = idOwners.has(target) ? `\`${target}\` is not an entry` : `no entry has id \`${target}\``;
        diagnostics.push(diagnostic(e.source.path, p && { line: p[0], column: p[1] }, 'error', 'dangling-reference', `\`${key}\` points nowhere: ${kind}`));
      }
    }
  }
  return { notebooks: [...notebooksByDir.values()], pages: [...pagesByDir.values()], entries, diagnostics };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
