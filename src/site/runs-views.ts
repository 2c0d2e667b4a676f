/**
 * The runs table and charts of one page or notebook, built once per build and shared by the
 * view and its CSV download (src/pages/runs/[id].csv.ts).
 */
import { type Chart, chartCacheDir, runsCharts } from './charts.ts';
import { workspaceRoot } from './config.ts';
import { href, type Journal } from './journal.ts';
import { type RunsTable, runOrder, runsTable } from './runs.ts';

const tables = new WeakMap<Journal, Map<string, RunsTable>>();

/** Runs of a page (`page-…`) or a notebook (`nb-…`, every page's entries): null for an unknown id. */
export function runsOf(journal: Journal, id: string): RunsTable | null {
  let cache = tables.get(journal);
  if (!cache) tables.set(journal, (cache = new Map()));
  const hit = cache.get(id);
  if (hit) return hit;
  const page = journal.page.get(id);
  const notebook = page ? journal.notebook.get(page.notebook_id) : journal.notebook.get(id);
  if (!notebook) return null;
  const ids = page ? page.entry_ids : notebook.page_ids.flatMap((p) => journal.page.get(p)?.entry_ids ?? []);
  const entries = ids
    .map((e) => journal.entry.get(e))
    .filter((e) => !!e)
    .sort(runOrder);
  const table = runsTable(entries, notebook.settings.metrics ?? {});
  cache.set(id, table);
  return table;
}

/** Charts of a runs table; element ids start with `prefix`. */
export function chartsOf(table: RunsTable, prefix: string): Promise<Chart[]> {
  // Drawing a chart takes tens of milliseconds; one drawn before (or meanwhile, by the build
  // worker: src/site/chart-prerender.ts) is read back from .lab/cache/charts/.
  return runsCharts(table, prefix, chartCacheDir(workspaceRoot()));
}

/** URL of the CSV download of a page's or notebook's runs. */
export function runsCsvHref(id: string): string {
  return href(`runs/${encodeURIComponent(id)}.csv`);
}
