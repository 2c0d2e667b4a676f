/**
 * Keys whose value YAML read as empty because it starts with `#`: in
 * `color: #4F46E5` everything from `#` on is a comment, so `color` is null.
 * The validator uses this to say so instead of "expected text, got nothing".
 */
import type { KeyPositions } from './positions.ts';

/** Key path → the text YAML took for a comment (`#4F46E5`), for every key whose value is null. */
export function commentedValues(text: string, data: Record<string, unknown> | null, positions: KeyPositions): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data) return out;
  let lines: string[] | undefined;
  const visit = (node: unknown, prefix: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value === null && positions[path]) {
        lines ??= text.split('\n');
        const [line, column] = positions[path];
        const m = /^[^:]*:[ \t]+(#.*?)\s*$/.exec((lines[line - 1] ?? '').slice(column - 1));
        if (m) out[path] = m[1]!;
      } else visit(value, path);
    }
  };
  visit(data, '');
  return out;
}
