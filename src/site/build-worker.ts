/**
 * The build's second core: a worker thread that, while Astro renders on the main thread, feeds
 * the search index (Pagefind runs in its own process) and writes the ~20,000 files of the JSON
 * API into `<apiDir>` (only those that changed: src/site/api-writer.ts). Protocol:
 *   workerData `{ index, lineage, assets, base, apiDir, apiManifest, searchDir, root }` (`searchDir`:
 *   the search bundles' cache, kept between builds)
 *   first draws the runs charts into the chart cache (src/site/chart-prerender.ts), so the page views
 *   find them drawn,
 *   → posts `{ kind: 'ready' }` once Pagefind's process runs (it must start before the main thread
 *   changes folder for Astro),
 *   → posts `{ kind: 'api', files, written }` once the API is written,
 *   ← receives `{ kind: 'finish', out }` after Astro wrote the HTML (session pages are indexed from it),
 *   → posts `{ kind: 'search', records }` once `<out>/pagefind/` is written, or `{ kind: 'error', message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JournalIndex, LineageGraph } from '../core/model.ts';
import { apiFiles } from './api.ts';
import { writeApi } from './api-writer.ts';
import type { SiteAssets } from './assets.ts';
import { prerenderCharts } from './chart-prerender.ts';
import { startSearchIndex } from './search-index.ts';

const { index, lineage, assets, base, apiDir, apiManifest, searchDir, root } = workerData as {
  index: JournalIndex;
  lineage: LineageGraph;
  assets: SiteAssets;
  base: string;
  apiDir: string;
  apiManifest: string;
  searchDir: string;
  root?: string;
};
const port = parentPort!;

try {
  const search = await startSearchIndex(index, assets, base, searchDir);
  port.postMessage({ kind: 'ready' });
  // Charts first: the page views need them while Astro renders, the API only at the end. A chart
  // this misses is drawn by the page that needs it: a failure here costs time, not output.
  if (root) await prerenderCharts(root, index).catch(() => 0);
  const api = await writeApi(apiFiles(index, lineage, assets, base), apiDir, apiManifest);
  port.postMessage({ kind: 'api', files: api.paths.length, written: api.written });
  port.once('message', (message: { kind: 'finish'; out: string }) => {
    search.finish(message.out).then(
      (records) => port.postMessage({ kind: 'search', records }),
      (error: Error) => port.postMessage({ kind: 'error', message: error.message }),
    );
  });
} catch (error) {
  port.postMessage({ kind: 'error', message: (error as Error).message });
}
