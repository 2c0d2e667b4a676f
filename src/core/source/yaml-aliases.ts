/**
 * Anchors and aliases checked before a YAML document is turned into data.
 * yaml raises alias faults only at `toJS` time, as exceptions outside
 * `doc.errors` (an alias before its anchor, `*important*` meant as text, an
 * alias inside the node it names); here they become positioned problems. Heavy
 * but valid alias use is bounded by what it expands to, not by how many
 * aliases there are: one anchor used 100 times is fine, a billion laughs is not.
 */
import { type Document, isAlias, isCollection, isPair, isScalar, type Node as YamlNode } from 'yaml';

/** Most values a document may expand to through aliases (a billion-laughs file expands to ~10^9). */
const MAX_EXPANDED_VALUES = 100_000;

/** An alias problem at a 0-based offset of the YAML text. */
export interface AliasProblem {
  offset: number;
  message: string;
}

/**
 * The first alias problem of a document, or null when `toJS` is safe to call
 * with alias counting off. Iterative, so deeply nested YAML cannot overflow the stack.
 */
export function checkAliases(doc: Document, maxValues = MAX_EXPANDED_VALUES): AliasProblem | null {
  if (!doc.contents) return null;
  const anchors = new Map<string, YamlNode>();
  const sizes = new Map<YamlNode, number>();
  const aliases: YamlNode[] = [];
  // Pass 1, document order: which anchor each alias names (the last one defined before it), and its ancestors.
  const stack: { node: unknown; ancestors: YamlNode[] }[] = [{ node: doc.contents, ancestors: [] }];
  while (stack.length) {
    const { node, ancestors } = stack.pop()!;
    if (isPair(node)) {
      stack.push({ node: node.value, ancestors }, { node: node.key, ancestors });
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return { offset: node.range?.[0] ?? 0, message: unresolved(node.source) };
      if (ancestors.includes(target)) return { offset: node.range?.[0] ?? 0, message: `alias \`*${node.source}\` refers to a node that contains it (a loop)` };
      aliases.push(node as YamlNode);
      sizes.set(node as YamlNode, -1);
      continue;
    }
    const n = node as YamlNode | null;
    if (!n || (!isScalar(n) && !isCollection(n))) continue;
    if (n.anchor) anchors.set(n.anchor, n);
    if (isCollection(n)) {
      const inner = [...ancestors, n];
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i], ancestors: inner });
    }
  }
  if (!aliases.length) return null;
  // Pass 2: expanded size of the whole document, memoized per node, so the walk is linear in the text.
  const targets = new Map<YamlNode, YamlNode>();
  {
    const seen = new Map<string, YamlNode>();
    const order: unknown[] = [doc.contents];
    while (order.length) {
      const node = order.pop();
      if (isPair(node)) {
        order.push(node.value, node.key);
        continue;
      }
      if (isAlias(node)) {
        targets.set(node as YamlNode, seen.get(node.source)!);
        continue;
      }
      const n = node as YamlNode | null;
      if (!n || (!isScalar(n) && !isCollection(n))) continue;
      if (n.anchor) seen.set(n.anchor, n);
      if (isCollection(n)) for (let i = n.items.length - 1; i >= 0; i--) order.push(n.items[i]);
    }
  }
  const total = expandedSize(doc.contents as YamlNode, targets, sizes, maxValues);
  if (total > maxValues) {
    const first = aliases[0]!;
    return {
      offset: first.range?.[0] ?? 0,
      message: `aliases expand this YAML to more than ${maxValues.toLocaleString('en')} values; refused (a "billion laughs" file?)`,
    };
  }
  return null;
}

function unresolved(name: string): string {
  const hint = /[*]$/.test(name) || /\s/.test(name) ? '; to write text starting with `*`, quote it' : '';
  return `alias \`*${name}\` has no anchor \`&${name}\` defined before it${hint}`;
}

/** Values `node` expands to (aliases counted as their target's size), capped just above `max`. */
function expandedSize(root: YamlNode, targets: Map<YamlNode, YamlNode>, memo: Map<YamlNode, number>, max: number): number {
  const cap = (n: number) => Math.min(n, max + 1);
  const work: { node: YamlNode; done: boolean }[] = [{ node: root, done: false }];
  const sizeOf = (node: unknown): number => {
    if (isPair(node)) return (node.key ? sizeOf(node.key) : 0) + (node.value ? sizeOf(node.value) : 0);
    const n = node as YamlNode | null;
    if (!n) return 0;
    if (isAlias(n)) return memo.get(targets.get(n)!) ?? 0;
    return memo.get(n) ?? 0;
  };
  const children = (n: YamlNode): YamlNode[] => {
    if (isAlias(n)) return [targets.get(n)!];
    if (!isCollection(n)) return [];
    const out: YamlNode[] = [];
    for (const item of n.items) {
      if (isPair(item)) {
        if (item.key) out.push(item.key as YamlNode);
        if (item.value) out.push(item.value as YamlNode);
      } else if (item) out.push(item as YamlNode);
    }
    return out;
  };
  while (work.length) {
    const top = work[work.length - 1]!;
    if (memo.has(top.node) && memo.get(top.node)! >= 0) {
      work.pop();
      continue;
    }
    if (!top.done) {
      top.done = true;
      for (const c of children(top.node)) if (!(memo.get(c)! >= 0)) work.push({ node: c, done: false });
      continue;
    }
    work.pop();
    if (isAlias(top.node)) memo.set(top.node, 0);
    else if (isCollection(top.node)) {
      let sum = 1;
      for (const item of top.node.items) sum = cap(sum + sizeOf(item));
      memo.set(top.node, sum);
    } else memo.set(top.node, 1);
  }
  return memo.get(root) ?? 0;
}
