/** A 500-entry lineage stays readable: big families of leaves fold into "+N more" nodes. */
import { expect, test } from 'vitest';
import { type GraphEdge, type GraphNode, layout } from '../../src/site/lineage.ts';
import { collapseLeaves } from '../../src/site/lineage-collapse.ts';
import { lineageSvg } from '../../src/site/lineage-svg.ts';

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
