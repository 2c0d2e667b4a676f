/**
 * A 500-entry lineage stays readable: big families of leaves fold into "+N more" nodes; past that,
 * a page of thousands of entries (any shape of lineage) draws at most PAGE_GRAPH_MAX boxes.
 */
import { describe, expect, test } from 'vitest';
import { syntheticPage } from '../../scripts/lineage-shapes.ts';
import { type GraphEdge, type GraphNode, layout, pageGraph } from '../../src/site/lineage.ts';
import { capNodes, collapseLeaves, PAGE_GRAPH_MAX } from '../../src/site/lineage-collapse.ts';
import { lineageSvg } from '../../src/site/lineage-svg.ts';
import type { SiteEntry } from '../../src/site/types.ts';

function sweep(parents: number, childrenEach: number) {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const n = (id: string): GraphNode => ({ id, title: `Entry ${id}`, type: 'command', status: 'completed', thumb: null, external: false, current: false });
  nodes.push(n('root'));
  for (let p = 0; p < parents; p++) {
    nodes.push(n(`p${p}`));
    edges.push({ from: 'root', to: `p${p}`, kind: 'derives_from' });
    for (let c = 0; c < childrenEach; c++) {
      nodes.push(n(`p${p}c${c}`));
      edges.push({ from: `p${p}`, to: `p${p}c${c}`, kind: 'variation_of' });
    }
  }
  return { nodes, edges };
}

test('500 entries fold to at most the limit; the current entry and a few leaves per parent stay', () => {
  const g = sweep(10, 49); // 1 + 10 + 490 = 501 nodes
  g.nodes.find((x) => x.id === 'p3c40')!.current = true;
  const small = collapseLeaves(g, 120);
  expect(small.nodes.length).toBeLessThanOrEqual(120);
  expect(small.nodes.some((x) => x.id === 'p3c40')).toBe(true);
  expect(small.nodes.some((x) => x.id === 'p0c0')).toBe(true);
  const clusters = small.nodes.filter((x) => x.cluster);
  expect(clusters.length).toBeGreaterThan(0);
  const folded = clusters.reduce((s, c) => s + c.cluster!.count, 0);
  expect(small.nodes.length - clusters.length + folded).toBe(501);
  const ids = new Set(small.nodes.map((x) => x.id));
  for (const e of small.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  const svg = lineageSvg(layout(small.nodes, small.edges, 'tree'), 'Lineage', { entry: (id) => `/e/${id}/`, asset: (r) => r });
  expect(svg).toContain(`href="/e/${clusters[0]!.cluster!.of}/#h-lineage"`);
  expect(svg).toMatch(/\+\d+ more from Entry p\d/);
});

test('small graphs are left alone', () => {
  const g = sweep(3, 5);
  expect(collapseLeaves(g, 120)).toBe(g);
});

describe('capNodes: a page of thousands of entries draws at most the cap', () => {
  const lookupOf = (entries: SiteEntry[]) => {
    const byId = new Map(entries.map((e) => [e.id, e]));
    return (id: string) => byId.get(id);
  };
  test.each([
    ['generated', 1200],
    ['generated', 5000],
    ['sweeps', 5000],
    ['chain', 1200],
    ['loose', 1200],
  ] as const)('%s lineage, %i entries: ≤ 120 boxes, every entry drawn or counted in a folded node, edges between drawn boxes', (shape, n) => {
    const entries = syntheticPage(n, shape);
    const full = pageGraph(entries, lookupOf(entries), 'page-big');
    const g = capNodes(collapseLeaves(full, PAGE_GRAPH_MAX), PAGE_GRAPH_MAX);
    expect(g.nodes.length).toBeLessThanOrEqual(PAGE_GRAPH_MAX);
    const clusters = g.nodes.filter((x) => x.cluster);
    expect(g.nodes.length - clusters.length + clusters.reduce((s, c) => s + c.cluster!.count, 0)).toBe(n);
    const ids = new Set(g.nodes.map((x) => x.id));
    expect(ids.size).toBe(g.nodes.length);
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    // A folded node hangs under the entry it folds from, which is drawn.
    for (const c of clusters) if (c.cluster!.of !== null) expect(g.edges.some((e) => e.from === c.cluster!.of && e.to === c.id)).toBe(true);
  });

  test('a chain keeps its first generations and folds the rest under the last one drawn', () => {
    const entries = syntheticPage(1000, 'chain');
    const g = capNodes(pageGraph(entries, lookupOf(entries), 'page-big'), 50);
    expect(g.nodes.map((x) => x.id).slice(0, 3)).toEqual([entries[0]!.id, entries[1]!.id, entries[2]!.id]);
    const [more] = g.nodes.filter((x) => x.cluster);
    expect(more!.cluster).toEqual({ of: entries[48]!.id, count: 951 });
    expect(more!.title).toMatch(/^\+951 more under Run 48/);
  });

  test('entries without lineage fold into one node that leads to the timeline', () => {
    const entries = syntheticPage(1200, 'loose');
    const g = capNodes(pageGraph(entries, lookupOf(entries), 'page-big'), PAGE_GRAPH_MAX);
    const clusters = g.nodes.filter((x) => x.cluster);
    expect(clusters.map((c) => c.cluster)).toEqual([{ of: null, count: 1200 - (PAGE_GRAPH_MAX - 1) }]);
    const svg = lineageSvg(layout(g.nodes, g.edges, 'tree'), 'Lineage', { entry: (id) => `/e/${id}/`, asset: (r) => r, more: '/p/#view-timeline' });
    expect(svg).toContain('<a href="/p/#view-timeline">');
    expect(svg).toContain(`+${1200 - (PAGE_GRAPH_MAX - 1)} more entries`);
    expect(svg.match(/class="node/g)?.length).toBe(PAGE_GRAPH_MAX);
  });

  test('the biggest family comes first; a graph under the cap is left alone', () => {
    const entries = syntheticPage(1200, 'generated');
    const full = pageGraph(entries, lookupOf(entries), 'page-big');
    expect(capNodes(full, 5000)).toBe(full);
    const g = capNodes(full, PAGE_GRAPH_MAX);
    expect(g.nodes.length).toBeGreaterThan(PAGE_GRAPH_MAX * 0.8);
  });
});
