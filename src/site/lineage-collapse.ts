/**
 * Keeps a big lineage graph readable: past `limit` nodes, the leaves of a parent with many leaf
 * children (a sweep of 40 variations, say) are folded into one "+N more" node that links to the
 * parent's entry page, where every descendant is listed. The first few leaves of each parent stay,
 * as does the current entry. A 500-entry page draws about `limit` boxes instead of 500.
 */
import type { GraphEdge, GraphNode } from './lineage.ts';

const KEEP = 2;

export function collapseLeaves(graph: { nodes: GraphNode[]; edges: GraphEdge[] }, limit = 120): { nodes: GraphNode[]; edges: GraphEdge[] } {
  if (graph.nodes.length <= limit) return graph;
  const out = new Set(graph.edges.map((e) => e.from));
  const current = new Set(graph.nodes.filter((n) => n.current).map((n) => n.id));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // Each leaf under the parent it was drawn from (its first incoming edge).
  const leavesOf = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of graph.edges) {
    if (out.has(e.to) || current.has(e.to) || seen.has(e.to)) continue;
    seen.add(e.to);
    leavesOf.set(e.from, [...(leavesOf.get(e.from) ?? []), e.to]);
  }
  let nodes = graph.nodes;
  let edges = graph.edges;
  // Fold the largest families first, and only as much as it takes to get under the limit.
  const families = [...leavesOf].filter(([, l]) => l.length > KEEP + 1).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [parent, leaves] of families) {
    if (nodes.length <= limit) break;
    const folded = new Set(leaves.slice(KEEP));
    const id = `cluster:${parent}`;
    const cluster: GraphNode = {
      id,
      title: `+${folded.size} more from ${byId.get(parent)?.title ?? parent}`,
      type: 'cluster',
      status: 'collapsed',
      thumb: null,
      external: false,
      current: false,
      cluster: { of: parent, count: folded.size },
    };
    nodes = [...nodes.filter((n) => !folded.has(n.id)), cluster];
    edges = [...edges.filter((e) => !folded.has(e.to) && !folded.has(e.from)), { from: parent, to: id, kind: 'derives_from' }];
  }
  return { nodes, edges };
}
