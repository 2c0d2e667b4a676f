/**
 * `npm run bench:lineage`: the lineage graph of one big page (src/site/lineage-collapse.ts), at
 * 100, 1,000 and 5,000 entries and in several shapes (scripts/lineage-shapes.ts): layout time,
 * boxes drawn and SVG size, for the graph before the cap (leaf folding only, as pages drew it
 * until the cap) and with it, in the same run; prints the ratios.
 *
 *   node scripts/bench-lineage.ts [--sizes 100,1000,5000] [--repeat 3]
 */
import { parseArgs } from 'node:util';
import { forgetLayouts, type GraphEdge, type GraphNode, layout, pageGraph } from '../src/site/lineage.ts';
import { collapseLeaves, PAGE_GRAPH_MAX, pageLineage } from '../src/site/lineage-collapse.ts';
import { lineageSvg } from '../src/site/lineage-svg.ts';
import { type LineageShape, syntheticPage } from './lineage-shapes.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000,5000' }, repeat: { type: 'string', default: '3' } } });
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);
const links = { entry: (id: string) => `/entries/${id}/`, asset: (rel: string) => `/${rel}`, more: '/pages/page-big/#view-timeline' };

/** The page graph as drawn before the cap: leaves of big sweeps folded, everything else drawn. */
function uncapped(entries: ReturnType<typeof syntheticPage>) {
  const lookup = new Map(entries.map((e) => [e.id, e]));
  const g: { nodes: GraphNode[]; edges: GraphEdge[] } = collapseLeaves(
    pageGraph(entries, (id) => lookup.get(id), 'page-big'),
    PAGE_GRAPH_MAX,
  );
  return layout(g.nodes, g.edges, g.nodes.length <= 40 ? 'dagre' : 'tree');
}
function capped(entries: ReturnType<typeof syntheticPage>) {
  const lookup = new Map(entries.map((e) => [e.id, e]));
  return pageLineage(entries, (id) => lookup.get(id), 'page-big');
}

/** Median milliseconds of graph + layout + SVG, with no layout memoized. */
function measure(n: number, shape: LineageShape, draw: typeof capped) {
  const times: number[] = [];
  let out = { nodes: 0, bytes: 0, width: 0, height: 0 };
  for (let r = 0; r < repeat; r++) {
    const entries = syntheticPage(n, shape, 1000 * r + n);
    forgetLayouts();
    const t0 = performance.now();
    const graph = draw(entries);
    const svg = lineageSvg(graph, 'Lineage of the entries on a big page', links);
    times.push(performance.now() - t0);
    out = { nodes: graph.nodes.length, bytes: Buffer.byteLength(svg), width: graph.width, height: graph.height };
  }
  times.sort((a, b) => a - b);
  return { ...out, ms: times[Math.floor(times.length / 2)]! };
}

// Warm up the JIT on both paths, so the first row does not pay for it.
for (const shape of ['generated', 'chain'] as const) for (const draw of [uncapped, capped]) measure(Math.min(...sizes, 1000), shape, draw);

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
console.log(`lineage graph of one page; median of ${repeat}; 2-core machine shared with other work: timings are noisy\n`);
console.log('| shape | entries | boxes before → after | SVG before → after | ratio | layout+SVG before → after | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const shape of ['generated', 'sweeps', 'chain', 'loose'] as const) {
  for (const n of sizes) {
    const before = measure(n, shape, uncapped);
    const after = measure(n, shape, capped);
    console.log(
      `| ${shape} | ${n} | ${before.nodes} → ${after.nodes} | ${kb(before.bytes)} → ${kb(after.bytes)} | ${(after.bytes / before.bytes).toFixed(2)} | ` +
        `${before.ms.toFixed(1)} ms → ${after.ms.toFixed(1)} ms | ${(after.ms / before.ms).toFixed(2)} |`,
    );
  }
}
