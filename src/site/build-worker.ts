/**
 * The build's second core: a worker thread that, while Astro renders on the main thread, feeds
 * the search index (Pagefind runs in its own process) and writes the ~20,000 files of the JSON
 * API into a staging folder. Protocol:
 *   workerData `{ index, lineage, assets, base, apiDir, searchDir, root }` (`searchDir`: the search
 *   bundles' cache, kept between builds)
 *   first draws the runs charts into the chart cache (src/site/chart-prerender.ts), so the page views
 *   find them drawn,
 *   → posts `{ kind: 'ready' }` once Pagefind's process runs (it must start before the main thread
 *   changes folder for Astro),
 *   → posts `{ kind: 'api', files }` once the API is written,
 *   ← receives `{ kind: 'finish', out }` after Astro wrote the HTML (session pages are indexed from it),
 *   → posts `{ kind: 'search', records }` once `<out>/pagefind/` is written, or `{ kind: 'error', message }`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { JournalIndex, LineageGraph } from '../core/model.ts';
import { buildApi } from './api.ts';
import type { SiteAssets } from './assets.ts';
import { prerenderCharts } from './chart-prerender.ts';
import { startSearchIndex } from './search-index.ts';

const { index, lineage, assets, base, apiDir, searchDir, root } = workerData as {
  index: JournalIndex;
  lineage: LineageGraph;
  assets: SiteAssets;
  base: string;
  apiDir: string;
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
  const files = buildApi(index, lineage, assets, base);
  const made = new Set<string>();
  let written = 0;
  for (const f of files) {
    // Yield now and then so Pagefind's requests and replies keep flowing while files are written.
    if (++written % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    const target = path.join(apiDir, f.path);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, f.json);
  }
  port.postMessage({ kind: 'api', files: files.length });
  port.once('message', (message: { kind: 'finish'; out: string }) => {
    search.finish(message.out).then(
      (records) => port.postMessage({ kind: 'search', records }),
      (error: Error) => port.postMessage({ kind: 'error', message: error.message }),
    );
  });
} catch (error) {
  port.postMessage({ kind: 'error', message: (error as Error).message });
}
