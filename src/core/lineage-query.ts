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

export function lineageTree(index: JournalIndex, entryId: string, depth = Infinity): LineageTree {
  const byId = new Map(index.entries.map((e) => [e.id, e]));
  const root = byId.get(entryId)!;
  const up = (e: Entry, level: number, seen: Set<string>): LineageNode[] => {
    if (level >= depth) return [];
    const refs: [string | null, LineageNode['relation']][] = [[e.lineage.parent_id, 'parent']];
    if (e.lineage.variation_of !== e.lineage.parent_id) refs.push([e.lineage.variation_of, 'variation_of']);
    return refs.flatMap(([id, relation]) => {
      const p = id ? byId.get(id) : undefined;
      if (!p || seen.has(p.id)) return [];
      return [{ id: p.id, title: p.title, status: p.status, relation, children: up(p, level + 1, new Set([...seen, p.id])) }];
    });
  };
  const down = (e: Entry, level: number, seen: Set<string>): LineageNode[] => {
    if (level >= depth) return [];
    const ids = [...new Set([...e.lineage.children_ids, ...e.lineage.variation_ids])];
    return ids.flatMap((id) => {
      const c = byId.get(id);
      if (!c || seen.has(id)) return [];
      const relation = c.lineage.variation_of === e.id ? 'variation' : 'child';
      return [{ id, title: c.title, status: c.status, relation, children: down(c, level + 1, new Set([...seen, id])) }];
    });
  };
  return {
    entry: { id: root.id, title: root.title, status: root.status },
    ancestors: up(root, 0, new Set([root.id])),
    descendants: down(root, 0, new Set([root.id])),
  };
}

/** Renders a lineage tree like `tree(1)`. */
export function formatLineage(t: LineageTree): string {
  const lines: string[] = [];
  const walk = (nodes: LineageNode[], prefix: string, arrow: string) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      lines.push(`${prefix}${last ? '└─' : '├─'}${arrow} ${n.id}  ${n.title}  [${n.status}] (${n.relation.replace('_', ' ')})`);
      walk(n.children, `${prefix}${last ? '   ' : '│  '}`, arrow);
    });
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
