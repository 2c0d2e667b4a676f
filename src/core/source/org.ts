import { parseYamlValue, type SourceProblem, type SplitSource } from './frontmatter.ts';
import type { KeyPositions } from './positions.ts';

/** Keys whose Org values are taken verbatim as text (a title may contain `: `). */
const TEXT_KEYS = new Set([
  'title', 'id', 'type', 'created', 'parent', 'variation_of', 'date', 'description', 'status', 'color', 'icon',
]);

const KEYWORD = /^[ \t]*#\+([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*\r?$/;
const PROPERTY = /^[ \t]*:([A-Za-z_][\w-]*)\+?:[ \t]*(.*?)[ \t]*\r?$/;

/**
 * Reads the header of an Org file — `#+KEY: value` keywords and a file-level
 * `:PROPERTIES:` drawer before the first headline — as the same keys Markdown
 * frontmatter carries. Non-text values are YAML flow (`[a, b]`, `{seed: 42}`, `4`).
 * `#+FILETAGS: :a:b:` maps to `tags`.
 */
export function splitOrg(text: string): SplitSource {
  const lines = text.split('\n');
  const data: Record<string, unknown> = {};
  const positions: KeyPositions = {};
  const problems: SourceProblem[] = [];
  let inDrawer = false;
  let sawHeader = false;
  let firstLine = 0;
  let bodyIndex = 0;

  const put = (rawKey: string, raw: string, lineNo: number, keyCol: number, valueCol: number) => {
    let key = rawKey.toLowerCase().replace(/-/g, '_');
    let value: unknown = raw;
    if (key === 'filetags') {
      key = 'tags';
      value = raw.split(':').map((t) => t.trim()).filter(Boolean);
    } else if (!TEXT_KEYS.has(key)) {
      const parsed = parseYamlValue(raw, lineNo - 1);
      for (const p of parsed.problems) problems.push({ ...p, column: p.column + valueCol - 1 });
      if (parsed.problems.length) return;
      value = parsed.value;
      for (const [k, [l, c]] of Object.entries(parsed.positions)) positions[`${key}.${k}`] = [l, c + valueCol - 1];
    }
    if (key in data) {
      problems.push({ line: lineNo, column: keyCol, message: `duplicate key \`${key}\``, rule: 'yaml-syntax' });
      return;
    }
    data[key] = value;
    positions[key] = [lineNo, keyCol];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    if (inDrawer) {
      if (/^[ \t]*:END:[ \t]*\r?$/i.test(line)) {
        inDrawer = false;
        bodyIndex = i + 1;
        continue;
      }
      const m = PROPERTY.exec(line);
      if (m) put(m[1], m[2], lineNo, line.indexOf(':') + 2, valueColumn(line, m[2]));
      else if (line.trim()) problems.push({ line: lineNo, column: 1, message: 'expected `:KEY: value` inside the properties drawer', rule: 'yaml-syntax' });
      continue;
    }
    if (/^[ \t]*:PROPERTIES:[ \t]*\r?$/i.test(line)) {
      inDrawer = true;
      if (!sawHeader) firstLine = lineNo;
      sawHeader = true;
      continue;
    }
    const k = KEYWORD.exec(line);
    if (k) {
      if (!sawHeader) firstLine = lineNo;
      sawHeader = true;
      put(k[1], k[2], lineNo, line.indexOf('#+') + 3, valueColumn(line, k[2]));
      bodyIndex = i + 1;
      continue;
    }
    if (/^[ \t]*(#( |$)|\r?$)/.test(line)) continue; // blank lines and comments between header lines
    break;
  }
  if (inDrawer) problems.push({ line: firstLine || 1, column: 1, message: 'the `:PROPERTIES:` drawer is never closed with `:END:`', rule: 'yaml-syntax' });
  const bodyLine = bodyIndex + 1;
  const body = lines.slice(bodyIndex).join('\n');
  return { data: sawHeader && !problems.length ? data : null, positions, line: firstLine || 1, body, bodyLine, problems };
}

/** 1-based column where a keyword's value text starts (after `KEY:` and spaces). */
function valueColumn(line: string, value: string): number {
  const colon = line.indexOf(':', line.indexOf('#+') + 2);
  return value ? line.indexOf(value, colon) + 1 : colon + 2;
}

