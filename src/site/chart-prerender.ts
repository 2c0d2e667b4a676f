/**
 * Draws every page's and notebook's charts into the chart cache (`.lab/cache/charts/`) on the
 * build's second core, while Astro renders on the first: the page views then read them back
 * instead of drawing them (src/site/runs-views.ts builds the same tables in the same order, so
 * the cache keys match). Whatever a page needs before this got to it, it draws itself.
 */
import type { JournalIndex } from '../core/model.ts';
import { chartCacheDir, runsCharts } from './charts.ts';
import { hasRuns, type RunSource, runOrder, runsTable } from './runs.ts';

export async function prerenderCharts(
  root: string,
  index: Pick<JournalIndex, 'entries' | 'notebooks' | 'pages'>,
  stop: () => boolean = () => false,
): Promise<number> {
  const byPage = new Map<string, RunSource[]>();
  const byNotebook = new Map<string, RunSource[]>();
  for (const e of index.entries) {
    byPage.set(e.page_id, [...(byPage.get(e.page_id) ?? []), e]);
    byNotebook.set(e.notebook_id, [...(byNotebook.get(e.notebook_id) ?? []), e]);
  }
  const directions = new Map(index.notebooks.map((n) => [n.id, n.settings.metrics ?? {}]));
  const jobs: [RunSource[], Record<string, string>][] = [
    ...index.pages.map((p) => [byPage.get(p.id) ?? [], directions.get(p.notebook_id) ?? {}] as [RunSource[], Record<string, string>]),
    ...index.notebooks.map((n) => [byNotebook.get(n.id) ?? [], directions.get(n.id) ?? {}] as [RunSource[], Record<string, string>]),
  ];
  let drawn = 0;
  for (const [entries, dirs] of jobs) {
    if (stop()) break;
    const table = runsTable([...entries].sort(runOrder), dirs);
    if (!hasRuns(table)) continue;
    drawn += (await runsCharts(table, 'chart', chartCacheDir(root))).length;
    // Let the worker's other work (Pagefind's messages) through between tables.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return drawn;
}
