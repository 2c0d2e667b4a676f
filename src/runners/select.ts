/**
 * Which entries a `lab run` is about: paths are used as they are (no compile,
 * so running one entry stays fast); ids, `--all`, `--stale`, `--page` and
 * `--notebook` need the compiled index.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabError, UsageError } from '../core/diagnostics.ts';
import type { JournalIndex } from '../core/model.ts';

export interface Selection {
  /** Entry ids or file paths (relative to `cwd`). */
  refs?: string[];
  all?: boolean;
  stale?: boolean;
  page?: string;
  notebook?: string;
}

/** Absolute entry paths to run, in a stable order (as given, then by path). */
export async function selectEntries(root: string, cwd: string, selection: Selection): Promise<string[]> {
  const refs = selection.refs ?? [];
  if (!refs.length && !selection.all && !selection.stale && !selection.page && !selection.notebook) {
    throw new UsageError('name the entries to run (ids or paths), or use --all, --stale, --page or --notebook');
  }
  const out: string[] = [];
  const needIndex: string[] = [];
  for (const ref of refs) {
    const abs = path.resolve(cwd, ref);
    if (/\.(md|org)$/i.test(ref) && existsSync(abs) && statSync(abs).isFile()) {
      if (!out.includes(abs)) out.push(abs);
    } else if (/[\\/]|\.(md|org)$/i.test(ref) && !existsSync(abs)) throw new LabError(`${ref}: no such entry file`);
    else needIndex.push(ref);
  }
  if (!needIndex.length && !selection.all && !selection.stale && !selection.page && !selection.notebook) return out;

  const [{ compile }, { registryEntryTypes }] = await Promise.all([import('../core/compile.ts'), import('./input-checks.ts')]);
  const { findEntry, findNotebook, findPage } = await import('../core/resolve.ts');
  // Session summaries are the SDK's business: left as last compiled.
  const { index } = await compile(root, { entryTypes: registryEntryTypes() });
  for (const ref of needIndex) {
    const abs = path.join(root, findEntry(index, ref, root, cwd).source.path);
    if (!out.includes(abs)) out.push(abs);
  }
  if (selection.all || selection.stale || selection.page || selection.notebook) {
    let entries: JournalIndex['entries'] = index.entries;
    if (selection.notebook) {
      const nb = findNotebook(index, selection.notebook);
      entries = entries.filter((e) => e.notebook_id === nb.id);
    }
    if (selection.page) {
      const page = findPage(index, selection.page, selection.notebook);
      entries = entries.filter((e) => e.page_id === page.id);
    }
    if (selection.stale) entries = entries.filter((e) => e.stale);
    const scoped = entries.map((e) => path.join(root, e.source.path)).sort();
    for (const p of scoped) if (!out.includes(p)) out.push(p);
  }
  return out;
}
