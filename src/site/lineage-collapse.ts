/**
 * Keeps a big lineage graph readable: past `limit` nodes, the leaves of a parent with many leaf
 * children (a sweep of 40 variations, say) are folded into one "+N more" node that links to the
 * parent's entry page, where every descendant is listed. The first few leaves of each parent stay,
 * as does the current entry. A 500-entry page draws about `limit` boxes instead of 500.
 */
import { type GraphEdge, type GraphNode, type LaidOutGraph, layout, pageGraph } from './lineage.ts';
import type { SiteEntry } from './types.ts';

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
  // Fold the largest families first, and only as much as it takes to get under the limit.
  const families = [...leavesOf].filter(([, l]) => l.length > KEEP + 1).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const folded = new Set<string>();
  const clusters: GraphNode[] = [];
  let size = graph.nodes.length;
  for (const [parent, leaves] of families) {
    if (size <= limit) break;
    const fold = leaves.slice(KEEP);
    for (const id of fold) folded.add(id);
    size -= fold.length - 1;
    clusters.push({
      id: `cluster:${parent}`,
      title: `+${fold.length} more from ${byId.get(parent)?.title ?? parent}`,
      type: 'cluster',
      status: 'collapsed',
      thumb: null,
      external: false,
      current: false,
      cluster: { of: parent, count: fold.length },
    });
  }
  return {
    nodes: [...graph.nodes.filter((n) => !folded.has(n.id)), ...clusters],
    edges: [
      ...graph.edges.filter((e) => !folded.has(e.to) && !folded.has(e.from)),
      ...clusters.map((c): GraphEdge => ({ from: c.cluster!.of!, to: c.id, kind: 'derives_from' })),
    ],
  };
}

/**
 * A hard cap on the boxes drawn, for pages of thousands of entries whose lineage is not a few
 * sweeps (long chains, deep trees, hundreds of unrelated entries), applied after `collapseLeaves`.
 * Each entry hangs under the parent it is drawn from (its first incoming edge); the families are
 * walked biggest first, each breadth first, and what the budget does not reach folds into one
 * "+N more" node per parent (its entry page lists its lineage) or, for whole families and entries
 * without lineage, one "+N more entries" node (`of: null`: the page's timeline lists them).
 * Returns at most `max` nodes; a graph already that small is returned as is.
 */
export function capNodes(graph: { nodes: GraphNode[]; edges: GraphEdge[] }, max: number): { nodes: GraphNode[]; edges: GraphEdge[] } {
  if (graph.nodes.length <= max) return graph;
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const count = graph.nodes.length;
  const parent = new Array<number>(count).fill(-1);
  const kids: number[][] = Array.from({ length: count }, () => []);
  for (const e of graph.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b || parent[b] !== -1) continue;
    parent[b] = a;
    kids[a]!.push(b);
  }
  // A cycle (which the compiler reports) leaves its members without a root: cut it at its first member.
  const rooted = new Array<boolean>(count).fill(false);
  // Entries under each node, itself included (a node folded by `collapseLeaves` stands for its count).
  const size = graph.nodes.map((n) => n.cluster?.count ?? 1);
  const order: number[] = [];
  const walk = (root: number) => {
    rooted[root] = true;
    const start = order.length;
    order.push(root);
    for (let i = start; i < order.length; i++) {
      for (const k of kids[order[i]!]!) {
        if (rooted[k]) continue;
        rooted[k] = true;
        order.push(k);
      }
    }
    for (let i = order.length - 1; i > start; i--) size[parent[order[i]!]!]! += size[order[i]!]!;
  };
  for (let i = 0; i < count; i++) if (parent[i] === -1) walk(i);
  for (let i = 0; i < count; i++)
    if (!rooted[i]) {
      parent[i] = -1;
      walk(i);
    }
  const roots = order.filter((i) => parent[i] === -1).sort((a, b) => size[b]! - size[a]! || a - b);
  const bySize = (a: number, b: number) => size[b]! - size[a]! || a - b;

  // Folding adds a node per parent cut short, so the budget of kept entries shrinks until it fits.
  for (let budget = max - 1; ; budget = Math.floor(budget * 0.9)) {
    const kept = new Set<number>();
    const folded = new Map<number, number>(); // parent index (-1: no parent) → entries folded under it
    // One family at a time, biggest first, each breadth first: a family's first generations
    // before its later ones, a whole family before the next.
    for (const root of roots) {
      const queue = [root];
      for (let qi = 0; qi < queue.length; qi++) {
        const n = queue[qi]!;
        if (kept.size < budget) {
          kept.add(n);
          queue.push(...kids[n]!.filter((k) => parent[k] === n).sort(bySize));
        } else folded.set(parent[n]!, (folded.get(parent[n]!) ?? 0) + size[n]!);
      }
    }
    if (kept.size + folded.size > max && budget > 0) continue;
    const nodes: GraphNode[] = graph.nodes.filter((_, i) => kept.has(i));
    const edges: GraphEdge[] = graph.edges.filter((e) => kept.has(index.get(e.from)!) && kept.has(index.get(e.to)!));
    for (const [p, n] of [...folded].sort((a, b) => a[0] - b[0])) {
      const from = p === -1 ? null : graph.nodes[p]!;
      const id = from ? `more:${from.id}` : 'more:';
      const title = from ? `+${n} more under ${from.title}` : `+${n} more ${n === 1 ? 'entry' : 'entries'}`;
      nodes.push({
        id,
        title,
        type: 'cluster',
        status: 'collapsed',
        thumb: null,
        external: false,
        current: false,
        cluster: { of: from?.id ?? null, count: n },
      });
      if (from) edges.push({ from: from.id, to: id, kind: 'derives_from' });
    }
    return { nodes, edges };
  }
}

/** Boxes drawn at most in a page's lineage graph: about what a wide screen shows readably when fitted. */
export const PAGE_GRAPH_MAX = 120;

/** The lineage graph of a page, folded to at most `max` boxes and laid out. */
export function pageLineage(entries: SiteEntry[], lookup: (id: string) => SiteEntry | undefined, pageId: string, max = PAGE_GRAPH_MAX): LaidOutGraph {
  // Leaves of big sweeps fold first (they read best as "+N more"), then the hard cap.
  const g = capNodes(collapseLeaves(pageGraph(entries, lookup, pageId), max), max);
  // dagre minimises crossings; past a few dozen nodes it costs tens of ms per page, and lineage
  // is almost always a tree, which the layered tree layout draws without crossings.
  return layout(g.nodes, g.edges, g.nodes.length <= 40 ? 'dagre' : 'tree');
}
