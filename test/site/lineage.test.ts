/** Lineage layout: nodes never overlap, edges go left to right, and both engines agree on ranks. */
import { describe, expect, test } from 'vitest';
import { type GraphEdge, type GraphNode, layout, NODE_HEIGHT, NODE_WIDTH } from '../../src/site/lineage.ts';
import { lineageSvg } from '../../src/site/lineage-svg.ts';

function tree(count: number, seed = 7): { nodes: GraphNode[]; edges: GraphEdge[] } {
  let a = seed;
  const rnd = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nodes: GraphNode[] = Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    title: `Entry ${i}`,
    type: 'command',
    status: 'completed',
    thumb: null,
    external: false,
    current: i === 0,
  }));
  const edges: GraphEdge[] = [];
  for (let i = 1; i < count; i++) edges.push({ from: `e${Math.floor(rnd() * i)}`, to: `e${i}`, kind: rnd() < 0.3 ? 'variation_of' : 'derives_from' });
  return { nodes, edges };
}

function overlaps(g: ReturnType<typeof layout>): string[] {
  const bad: string[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    for (let j = i + 1; j < g.nodes.length; j++) {
      const a = g.nodes[i]!;
      const b = g.nodes[j]!;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) bad.push(`${a.id}/${b.id}`);
    }
  }
  return bad;
}

describe.each(['tree', 'dagre'] as const)('%s layout', (engine) => {
  test.each([2, 12, 50])('%i entries: inside the canvas, no overlaps, parents left of children', (n) => {
    const { nodes, edges } = tree(n, n);
    const g = layout(nodes, edges, engine);
    expect(overlaps(g)).toEqual([]);
    for (const node of g.nodes) {
      expect(node.x - NODE_WIDTH / 2).toBeGreaterThanOrEqual(0);
      expect(node.y - NODE_HEIGHT / 2).toBeGreaterThanOrEqual(0);
      expect(node.x + NODE_WIDTH / 2).toBeLessThanOrEqual(g.width);
      expect(node.y + NODE_HEIGHT / 2).toBeLessThanOrEqual(g.height);
    }
    const at = new Map(g.nodes.map((x) => [x.id, x]));
    for (const e of edges) expect(at.get(e.from)!.x).toBeLessThan(at.get(e.to)!.x);
  });
});

test('SVG: every node links to its entry, text is escaped, variations are dashed', () => {
  const { nodes, edges } = tree(5);
  nodes[1]!.title = '<script>alert(1)</script> & "quotes"';
  const svg = lineageSvg(layout(nodes, edges, 'tree'), 'Lineage <of> test', { entry: (id) => `/j/entries/${id}/`, asset: (r) => `/j/${r}` });
  expect(svg.match(/<a href="\/j\/entries\/e\d\/"/g)).toHaveLength(5);
  expect(svg).not.toContain('<script>');
  expect(svg).toContain('&lt;script&gt;');
  expect(svg).toContain('aria-label="Lineage &lt;of&gt; test"');
  expect(svg.match(/class="edge variation_of"/g)?.length ?? 0).toBe(edges.filter((e) => e.kind === 'variation_of').length);
  expect(svg).toContain('aria-current="page"');
});
