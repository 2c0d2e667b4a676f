/** Ancestors and descendants of an entry, as trees (`lab lineage`, `entry.lineage()`). */
import type { Entry, JournalIndex } from './model.ts';

export interface LineageNode {
  id: string;
  title: string;
  status: string;
  /** How this node relates to the one it hangs from. */
  relation: 'parent' | 'variation_of' | 'child' | 'variation' | 'self';
  children: LineageNode[];
}

export interface LineageTree {
  entry: { id: string; title: string; status: string };
  /** Upward: the entry's parent / original, then theirs… */
  ancestors: LineageNode[];
  /** Downward: children and variations, then theirs… */
  descendants: LineageNode[];
}

/**
 * The entry's ancestors and descendants. Iterative (a 10,000-deep `parent` chain
 * must not overflow the stack) and linear: each entry appears once per direction,
 * at the first place a breadth-first walk reaches it.
 */
export function lineageTree(index: JournalIndex, entryId: string, depth = Infinity): LineageTree {
  const byId = new Map(index.entries.map((e) => [e.id, e]));
  const root = byId.get(entryId)!;
  const upward = (e: Entry): [string | null, LineageNode['relation']][] => {
    const refs: [string | null, LineageNode['relation']][] = [[e.lineage.parent_id, 'parent']];
    if (e.lineage.variation_of !== e.lineage.parent_id) refs.push([e.lineage.variation_of, 'variation_of']);
    return refs;
  };
  const downward = (e: Entry): [string | null, LineageNode['relation']][] =>
    [...new Set([...e.lineage.children_ids, ...e.lineage.variation_ids])].map((id) => [
      id,
      byId.get(id)?.lineage.variation_of === e.id ? 'variation' : 'child',
    ]);
  const grow = (next: (e: Entry) => [string | null, LineageNode['relation']][]): LineageNode[] => {
    const top: LineageNode[] = [];
    const seen = new Set([root.id]);
    const queue: { entry: Entry; level: number; into: LineageNode[] }[] = [{ entry: root, level: 0, into: top }];
    for (let qi = 0; qi < queue.length; qi++) {
      const { entry, level, into } = queue[qi]!;
      if (level >= depth) continue;
      for (const [id, relation] of next(entry)) {
        const e = id ? byId.get(id) : undefined;
        if (!e || seen.has(e.id)) continue;
        seen.add(e.id);
        const n: LineageNode = { id: e.id, title: e.title, status: e.status, relation, children: [] };
        into.push(n);
        queue.push({ entry: e, level: level + 1, into: n.children });
      }
    }
    return top;
  };
  return {
    entry: { id: root.id, title: root.title, status: root.status },
    ancestors: grow(upward),
    descendants: grow(downward),
  };
}

/** Renders a lineage tree like `tree(1)` (iteratively: trees may be thousands of levels deep). */
export function formatLineage(t: LineageTree): string {
  const lines: string[] = [];
  const walk = (nodes: LineageNode[], prefix: string, arrow: string) => {
    const stack: { nodes: LineageNode[]; i: number; prefix: string }[] = [{ nodes, i: 0, prefix }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.nodes.length) {
        stack.pop();
        continue;
      }
      const n = top.nodes[top.i++]!;
      const last = top.i === top.nodes.length;
      lines.push(`${top.prefix}${last ? '└─' : '├─'}${arrow} ${n.id}  ${n.title}  [${n.status}] (${n.relation.replace('_', ' ')})`);
      // Deep chains would indent past any screen: past 40 levels the indent stops growing.
      const indent = top.prefix.length < 120 ? `${top.prefix}${last ? '   ' : '│  '}` : top.prefix;
      if (n.children.length) stack.push({ nodes: n.children, i: 0, prefix: indent });
    }
  };
  lines.push(`${t.entry.id}  ${t.entry.title}  [${t.entry.status}]`);
  if (t.ancestors.length) {
    lines.push('ancestors:');
    walk(t.ancestors, '  ', '↑');
  }
  if (t.descendants.length) {
    lines.push('descendants:');
    walk(t.descendants, '  ', '↓');
  }
  if (!t.ancestors.length && !t.descendants.length) lines.push('(no ancestors or descendants)');
  return lines.join('\n');
}
