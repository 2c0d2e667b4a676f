/**
 * Lineage graphs for pages and entries, laid out at build time with dagre and drawn as
 * inline SVG by src/components/LineageGraph.astro (no JavaScript needed to read or follow it).
 * Layouts depend only on the graph's shape, so they are memoized by shape: a 10,000-entry
 * journal has few distinct neighbourhood shapes and dagre runs once per shape.
 */
import dagre from '@dagrejs/dagre';
import type { LineageEdgeKind } from '../core/model.ts';
import type { SiteEntry, Thumb } from './types.ts';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 60;

export interface GraphNode {
  id: string;
  title: string;
  type: string;
  status: string;
  thumb: Thumb | null;
  /** On another page than the one drawn. */
  external: boolean;
  current: boolean;
  /**
   * A folded group of `count` entries (src/site/lineage-collapse.ts): links to the parent `of`,
   * whose entry page draws them, or with `of: null` (unrelated entries) to the page's timeline.
   */
  cluster?: { of: string | null; count: number };
}
export interface GraphEdge {
  from: string;
  to: string;
  kind: LineageEdgeKind;
}
export interface LaidOutGraph {
  width: number;
  height: number;
  nodes: (GraphNode & { x: number; y: number })[];
  edges: (GraphEdge & { d: string })[];
}

type Lookup = (id: string) => SiteEntry | undefined;

/** Edges of the entries in `ids`, one per pair (`variation_of` wins when both are set). */
function edgesOf(entries: SiteEntry[], inGraph: Set<string>): GraphEdge[] {
  const out = new Map<string, GraphEdge>();
  for (const e of entries) {
    const { parent_id, variation_of } = e.lineage;
    if (variation_of && inGraph.has(variation_of)) out.set(`${variation_of}>${e.id}`, { from: variation_of, to: e.id, kind: 'variation_of' });
    if (parent_id && inGraph.has(parent_id) && !out.has(`${parent_id}>${e.id}`)) {
      out.set(`${parent_id}>${e.id}`, { from: parent_id, to: e.id, kind: 'derives_from' });
    }
  }
  return [...out.values()];
}

function node(e: SiteEntry, pageId: string | null, currentId: string | null): GraphNode {
  return {
    id: e.id,
    title: e.title,
    type: e.type,
    status: e.status,
    thumb: e.cover,
    external: pageId !== null && e.page_id !== pageId,
    current: e.id === currentId,
  };
}

/** All entries of a page plus their parents and children on other pages (drawn dashed). */
export function pageGraph(pageEntries: SiteEntry[], lookup: Lookup, pageId: string): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const members = new Map(pageEntries.map((e) => [e.id, e]));
  for (const e of pageEntries) {
    for (const id of [e.lineage.parent_id, e.lineage.variation_of, ...e.lineage.children_ids, ...e.lineage.variation_ids]) {
      const other = id ? lookup(id) : undefined;
      if (other && !members.has(other.id)) members.set(other.id, other);
    }
  }
  const list = [...members.values()];
  return { nodes: list.map((e) => node(e, pageId, null)), edges: edgesOf(list, new Set(members.keys())) };
}

/**
 * An entry's neighbourhood: ancestors (up to `up` generations), descendants (up to `down`),
 * capped at `max` nodes so a huge family stays readable.
 */
export function entryGraph(entry: SiteEntry, lookup: Lookup, up = 4, down = 2, max = 30): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const members = new Map<string, SiteEntry>([[entry.id, entry]]);
  let frontier = [entry];
  for (let depth = 0; depth < up && frontier.length; depth++) {
    const next: SiteEntry[] = [];
    for (const e of frontier) {
      for (const id of [e.lineage.parent_id, e.lineage.variation_of]) {
        const p = id ? lookup(id) : undefined;
        if (p && !members.has(p.id) && members.size < max) {
          members.set(p.id, p);
          next.push(p);
        }
      }
    }
    frontier = next;
  }
  frontier = [entry];
  for (let depth = 0; depth < down && frontier.length; depth++) {
    const next: SiteEntry[] = [];
    for (const e of frontier) {
      for (const id of [...e.lineage.children_ids, ...e.lineage.variation_ids]) {
        const c = lookup(id);
        if (c && !members.has(c.id) && members.size < max) {
          members.set(c.id, c);
          next.push(c);
        }
      }
    }
    frontier = next;
  }
  const list = [...members.values()].sort((a, b) =>
    (a.created ?? '') < (b.created ?? '') ? -1 : (a.created ?? '') > (b.created ?? '') ? 1 : a.id < b.id ? -1 : 1,
  );
  return { nodes: list.map((e) => node(e, entry.page_id, entry.id)), edges: edgesOf(list, new Set(members.keys())) };
}

const layoutMemo = new Map<string, { width: number; height: number; points: [number, number][] }>();
/** Forgets the memoized layouts: benchmarks measure layouts, not lookups (npm run bench:lineage). */
export function forgetLayouts(): void {
  layoutMemo.clear();
}
const RANK_GAP = 56;
const NODE_GAP = 18;
const MARGIN = 12;

/**
 * Positions nodes left to right by generation; edges as smooth curves between node sides.
 * `engine: 'dagre'` (pages: crossing minimisation over the whole page) or `'tree'` (entry
 * neighbourhoods: a tidy layered tree, linear time — dagre costs milliseconds per graph,
 * which 10,000 entry pages cannot afford).
 */
export function layout(nodes: GraphNode[], edges: GraphEdge[], engine: 'dagre' | 'tree' = 'dagre'): LaidOutGraph {
  const indexOf = new Map(nodes.map((n, i) => [n.id, i]));
  const pairs = edges.map((e) => [indexOf.get(e.from)!, indexOf.get(e.to)!] as [number, number]);
  const shape = `${engine}|${nodes.length}|${pairs.map(([a, b]) => `${a}-${b}`).join(',')}`;
  let laid = layoutMemo.get(shape);
  if (!laid) {
    laid = engine === 'dagre' ? dagreLayout(nodes.length, pairs) : treeLayout(nodes.length, pairs);
    if (layoutMemo.size > 5000) layoutMemo.clear();
    layoutMemo.set(shape, laid);
  }
  const points = laid.points;
  const placed = nodes.map((n, i) => ({ ...n, x: points[i]![0], y: points[i]![1] }));
  const at = new Map(placed.map((n) => [n.id, n]));
  return {
    width: laid.width,
    height: laid.height,
    nodes: placed,
    edges: edges.map((e) => {
      const a = at.get(e.from)!;
      const b = at.get(e.to)!;
      const sx = a.x + NODE_WIDTH / 2;
      const ex = b.x - NODE_WIDTH / 2 - 6;
      const mid = (sx + ex) / 2;
      return { ...e, d: `M${r(sx)} ${r(a.y)} C${r(mid)} ${r(a.y)} ${r(mid)} ${r(b.y)} ${r(ex)} ${r(b.y)}` };
    }),
  };
}

function dagreLayout(count: number, pairs: [number, number][]) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, ranksep: RANK_GAP, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (let i = 0; i < count; i++) g.setNode(String(i), { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [a, b] of pairs) g.setEdge(String(a), String(b));
  dagre.layout(g);
  const info = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(info.width ?? NODE_WIDTH + 2 * MARGIN),
    height: Math.ceil(info.height ?? NODE_HEIGHT + 2 * MARGIN),
    points: Array.from({ length: count }, (_, i) => {
      const n = g.node(String(i)) as { x: number; y: number };
      return [n.x, n.y] as [number, number];
    }),
  };
}

/**
 * Layered tidy tree: column = longest path from a root; rows from a depth-first walk, leaves
 * one row each, a parent centred on its children. Crossing-free for trees (lineage is almost
 * always a tree: one parent, sometimes a separate `variation_of`).
 */
function treeLayout(count: number, pairs: [number, number][]) {
  const kids: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Array<number>(count).fill(0);
  for (const [a, b] of pairs) {
    kids[a]!.push(b);
    indegree[b]!++;
  }
  const rank = new Array<number>(count).fill(0);
  const queue: number[] = [];
  const remaining = [...indegree];
  for (let i = 0; i < count; i++) if (remaining[i] === 0) queue.push(i);
  for (let qi = 0; qi < queue.length; qi++) {
    const n = queue[qi]!;
    for (const k of kids[n]!) {
      rank[k] = Math.max(rank[k]!, rank[n]! + 1);
      if (--remaining[k]! === 0) queue.push(k);
    }
  }
  const row = new Array<number>(count).fill(-1);
  const claimed = new Array<boolean>(count).fill(false);
  let next = 0;
  // Depth-first with an explicit stack: a 10,000-deep chain must not overflow the call stack.
  const visit = (start: number) => {
    const stack: { n: number; mine: number[] | null }[] = [{ n: start, mine: null }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.mine === null) {
        top.mine = kids[top.n]!.filter((k) => !claimed[k]);
        for (const k of top.mine) claimed[k] = true;
        if (top.mine.length === 0) {
          row[top.n] = next++;
          stack.pop();
          continue;
        }
        for (let i = top.mine.length - 1; i >= 0; i--) stack.push({ n: top.mine[i]!, mine: null });
        continue;
      }
      row[top.n] = (row[top.mine[0]!]! + row[top.mine[top.mine.length - 1]!]!) / 2;
      stack.pop();
    }
  };
  for (let i = 0; i < count; i++)
    if (indegree[i] === 0 && !claimed[i]) {
      claimed[i] = true;
      visit(i);
    }
  for (let i = 0; i < count; i++)
    if (!claimed[i]) {
      claimed[i] = true;
      visit(i); // only reachable through a cycle, which the compiler reports; still draw it
    }
  const ranks = Math.max(0, ...rank) + 1;
  return {
    width: 2 * MARGIN + ranks * NODE_WIDTH + (ranks - 1) * RANK_GAP,
    height: 2 * MARGIN + next * NODE_HEIGHT + Math.max(0, next - 1) * NODE_GAP,
    points: Array.from(
      { length: count },
      (_, i) =>
        [MARGIN + rank[i]! * (NODE_WIDTH + RANK_GAP) + NODE_WIDTH / 2, MARGIN + row[i]! * (NODE_HEIGHT + NODE_GAP) + NODE_HEIGHT / 2] as [number, number],
    ),
  };
}

const r = (n: number) => Math.round(n * 10) / 10;
