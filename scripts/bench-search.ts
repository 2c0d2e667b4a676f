/**
 * `npm run bench:search`: the site's sharded search (one Pagefind bundle per notebook's entries,
 * merged in the browser) against one index of the same records, on a synthetic journal:
 *  - Pagefind's peak memory (its own process, `VmHWM`) and time for each way of building, and the
 *    sharded build again with nothing changed (its bundles come from the cache);
 *  - for a fixed query set, the top 10 results of each, searched in headless Chromium with the
 *    bundles' own pagefind.js, merged the way the search page merges them (mergeIndex with a
 *    `shard` mergeFilter). Prints, per query, whether the top 10 match in order and as a set, and
 *    how far the merged scores are from the single index's for the same pages.
 *
 *   node scripts/bench-search.ts [--entries 10000] [--pages 100] [--notebooks 10] [--shard 5000] [--sharded-only] [--keep]
 * `--sharded-only` builds the sharded bundles alone (memory and time), without the single index
 * and the comparison.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { compile } from '../src/sdk/journal.ts';
import { openIndex, startSearchIndex, writeBundle } from '../src/site/search-index.ts';
import { planSearch } from '../src/site/search-records.ts';
import { serveStatic } from '../test/site/static-server.ts';
import { sampleProcessTree, type TreeMemory } from './bench/process-tree-rss.ts';
import { generateJournal } from './generate-journal.ts';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '10000' },
    pages: { type: 'string', default: '100' },
    notebooks: { type: 'string', default: '10' },
    shard: { type: 'string', default: '5000' },
    'sharded-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

/** Words of the generator's vocabulary, alone and together, with and without filters. */
const QUERIES: { term: string; filters?: Record<string, string> }[] = [
  { term: 'sunset' },
  { term: 'latency' },
  { term: 'karras' },
  { term: 'fog' },
  { term: 'warmup' },
  { term: 'lora strength' },
  { term: 'postgres join' },
  { term: 'checkpoint model' },
  { term: 'reflection water sky' },
  { term: 'regression improvement' },
  { term: 'hypothesis observed' },
  { term: 'upscale detail' },
  { term: 'loss', filters: { type: 'sql' } },
  { term: 'image', filters: { status: 'completed' } },
];

interface Top {
  count: number;
  top: { url: string; score: number }[];
}

const pagefindPeakMb = (m: TreeMemory) => m.processes.filter((p) => p.name.startsWith('pagefind')).reduce((max, p) => Math.max(max, p.peakMb), 0);

const work = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-search-'));
try {
  const journal = path.join(work, 'journal');
  await generateJournal(journal, { entries: Number(values.entries), pages: Number(values.pages), notebooks: Number(values.notebooks) });
  const { index } = await compile(journal);
  const assets = { thumbs: {} } as unknown as Parameters<typeof planSearch>[1];
  const site = path.join(work, 'site');
  for (const way of ['sharded', 'single']) {
    mkdirSync(path.join(site, way), { recursive: true });
    writeFileSync(path.join(site, way, 'index.html'), '<!doctype html><html lang="en"><head><title>search</title></head><body></body></html>\n');
  }
  console.log(
    `search benchmark: ${index.entries.length} entries, ${index.pages.length} pages, ${index.notebooks.length} notebooks, ≤ ${values.shard} entries per bundle`,
  );

  // The build's own code: entries' bundles one after another, then the main one.
  let sampler = sampleProcessTree(process.pid);
  let t = performance.now();
  const search = await startSearchIndex(index, assets, '/', path.join(work, 'staging'), Number(values.shard));
  const sharded = await search.finish(path.join(site, 'sharded'));
  const shardedMem = sampler.stop();
  const shardedSeconds = (performance.now() - t) / 1000;
  const manifest = JSON.parse(readFileSync(path.join(site, 'sharded', 'pagefind', 'shards.json'), 'utf8')) as { shards: string[] };
  const describe = (m: TreeMemory) =>
    `Pagefind peak ${pagefindPeakMb(m).toFixed(0)} MB (${m.processes.filter((p) => p.name.startsWith('pagefind')).length} process), bench process + Pagefind ${(m.peakTotalMb / 1024).toFixed(2)} GB`;
  console.log(`sharded: ${sharded} records in ${manifest.shards.length} + 1 bundles, ${shardedSeconds.toFixed(1)} s, ${describe(shardedMem)}`);
  // Again with the same cache and no change: every entries' bundle is reused, the main one rebuilt.
  t = performance.now();
  mkdirSync(path.join(site, 'sharded-again'));
  const again = await startSearchIndex(index, assets, '/', path.join(work, 'staging'), Number(values.shard));
  await again.finish(path.join(site, 'sharded-again'));
  console.log(
    `sharded, no change: ${((performance.now() - t) / 1000).toFixed(1)} s, ${again.bundles.reused} bundles reused, ${again.bundles.built} built ` +
      `(${((performance.now() - t) / 1000 / shardedSeconds).toFixed(2)} of the first build)`,
  );
  if (!values['sharded-only']) {
    sampler = sampleProcessTree(process.pid);
    t = performance.now();
    const pagefind = await import('pagefind');
    const plan = planSearch(index, assets, '/', Infinity);
    const single = await writeBundle(
      await openIndex(pagefind),
      [...plan.main(), ...plan.shards.flatMap((s) => s.records())],
      path.join(site, 'single', 'pagefind'),
    );
    await pagefind.close();
    const singleMem = sampler.stop();
    const singleSeconds = (performance.now() - t) / 1000;
    console.log(`single:  ${single} records in 1 bundle, ${singleSeconds.toFixed(1)} s, ${describe(singleMem)}`);
    console.log(`Pagefind peak, sharded / single: ${(pagefindPeakMb(shardedMem) / pagefindPeakMb(singleMem)).toFixed(2)}`);

    const server = await serveStatic(site, '/');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const run = async (way: 'sharded' | 'single'): Promise<Top[]> => {
        const page = await browser.newPage();
        await page.goto(`${server.url}${way}/`);
        // A string, not a function: the bundle's pagefind.js is imported by the page itself. Same
        // options and merge as src/site/routes/search.astro.
        const tops = await page.evaluate(`(async () => {
        const pf = await import('/${way}/pagefind/pagefind.js');
        await pf.options({ baseUrl: '/', excerptLength: 28, mergeFilter: { shard: 'main' } });
        await pf.init();
        const manifest = ${way === 'sharded' ? JSON.stringify(manifest) : '{ "shards": [] }'};
        for (const shard of manifest.shards) await pf.mergeIndex('/${way}/pagefind/' + shard, { baseUrl: '/', excerptLength: 28, mergeFilter: { shard } });
        const out = [];
        for (const q of ${JSON.stringify(QUERIES)}) {
          const r = await pf.search(q.term, { filters: q.filters ?? {} });
          const top = r.results.slice(0, 10);
          const data = await Promise.all(top.map((x) => x.data()));
          out.push({ count: r.results.length, top: data.map((d, i) => ({ url: d.url, score: top[i].score })) });
        }
        return out;
      })()`);
        await page.close();
        return tops as Top[];
      };
      const a = await run('sharded');
      const b = await run('single');
      let same = 0;
      let sameSet = 0;
      let overlap = 0;
      for (const [i, q] of QUERIES.entries()) {
        const s = a[i]!;
        const o = b[i]!;
        const urlsS = s.top.map((r) => r.url);
        const urlsO = o.top.map((r) => r.url);
        const inOrder = urlsS.join() === urlsO.join();
        const common = urlsS.filter((u) => urlsO.includes(u)).length;
        const asSet = common === urlsO.length && urlsS.length === urlsO.length;
        same += inOrder ? 1 : 0;
        sameSet += asSet ? 1 : 0;
        overlap += common / Math.max(1, urlsO.length);
        const firstDiff = urlsS.findIndex((u, k) => u !== urlsO[k]);
        // The merged score of each of the single index's top 10, relative to its single-index score.
        const mergedScore = new Map(s.top.map((r) => [r.url, r.score]));
        const drift = o.top.filter((r) => mergedScore.has(r.url)).map((r) => Math.abs(mergedScore.get(r.url)! / r.score - 1));
        const maxDrift = drift.length ? Math.max(...drift) : 0;
        // Single-index score gaps around the top 10: ties there make any order "right".
        const tenth = o.top[9]?.score ?? 0;
        const tiesAtCut = o.top.filter((r) => r.score === tenth).length;
        const label = `${q.term}${q.filters ? ` [${Object.entries(q.filters).map(([k, v]) => `${k}=${v}`)}]` : ''}`;
        console.log(
          `  ${label.padEnd(34)} results ${String(s.count).padStart(5)} / ${String(o.count).padStart(5)}  ` +
            `${inOrder ? 'same order' : asSet ? 'same set, order differs' : `${common}/10 shared`}` +
            `${inOrder ? '' : ` (first difference at rank ${firstDiff + 1})`}; score drift ≤ ${(100 * maxDrift).toFixed(1)} %` +
            `${tiesAtCut > 1 ? `; ${tiesAtCut} tied at rank 10` : ''}`,
        );
      }
      console.log(
        `top 10 identical in order: ${same}/${QUERIES.length}; identical as a set: ${sameSet}/${QUERIES.length}; mean overlap ${((100 * overlap) / QUERIES.length).toFixed(0)} %`,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  }
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
