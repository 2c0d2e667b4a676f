import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';

/** Dotted key path → [line, column], 1-based, in file coordinates. */
export type KeyPositions = Record<string, [number, number]>;

/**
 * Records where every key (and sequence item) of a YAML document sits, so a
 * schema problem at `inputs.parameters.seed` can point at that exact key.
 */
export function collectKeyPositions(root: unknown, lineCounter: LineCounter, lineOffset: number, out: KeyPositions = {}, prefix = ''): KeyPositions {
  if (isMap(root)) {
    for (const pair of root.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const name = isScalar(key) ? String(key.value) : String(key);
      const path = prefix ? `${prefix}.${name}` : name;
      const range = (key as YamlNode | null)?.range;
      if (range) out[path] = toPos(lineCounter, range[0], lineOffset);
      collectKeyPositions(pair.value, lineCounter, lineOffset, out, path);
    }
  } else if (isSeq(root)) {
    root.items.forEach((item, i) => {
      const path = `${prefix}.${i}`;
      const range = (item as YamlNode | null)?.range;
      if (range) out[path] = toPos(lineCounter, range[0], lineOffset);
      collectKeyPositions(item, lineCounter, lineOffset, out, path);
    });
  }
  return out;
}

function toPos(lc: LineCounter, offset: number, lineOffset: number): [number, number] {
  const { line, col } = lc.linePos(offset);
  return [line + lineOffset, col];
}

/** The position of the nearest recorded ancestor of `path` (or undefined). */
export function positionOf(positions: KeyPositions, path: readonly PropertyKey[]): [number, number] | undefined {
  const parts = path.map(String);
  for (let n = parts.length; n > 0; n--) {
    const p = positions[parts.slice(0, n).join('.')];
    if (p) return p;
  }
  return undefined;
}
