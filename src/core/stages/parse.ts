/**
 * Stage 2 — parse: turn one source file's text into frontmatter data (with the
 * position of every key) and body. Pure and per-file, so results can be cached.
 */
import type { Narrative, SourceRef } from '../model.ts';
import { commentedValues } from '../source/comment-values.ts';
import { splitMarkdown, type SourceProblem } from '../source/frontmatter.ts';
import { splitOrg } from '../source/org.ts';
import type { KeyPositions } from '../source/positions.ts';

export type SourceKind = 'notebook' | 'page' | 'entry';

/** One parsed source file. Plain data (cached with v8.serialize). */
export interface ParsedSource {
  path: string;
  kind: SourceKind;
  format: 'md' | 'org';
  /** Frontmatter / Org header; null when absent or malformed. */
  data: Record<string, unknown> | null;
  /** Whether the file had a frontmatter block / Org header at all. */
  hasHeader: boolean;
  positions: KeyPositions;
  line: number;
  body: string;
  bodyLine: number;
  /** Page narrative sections (pages only). */
  narrative: Narrative | null;
  /** Where it came from, as the index records it (computed once, cached). */
  ref: SourceRef;
  problems: SourceProblem[];
  /** Keys read as empty because their value starts with `#` (a YAML comment): key path → that text. */
  commented: Record<string, string>;
}

/**
 * Parses one file. Page narratives need remark, which is loaded only when a page
 * is parsed: pass `extractNarrative` from source/narrative.ts for pages.
 */
export function parseSource(path: string, kind: SourceKind, text: string, narrate?: (text: string) => Narrative): ParsedSource {
  const format = path.toLowerCase().endsWith('.org') ? 'org' : 'md';
  const split = format === 'org' ? splitOrg(text) : splitMarkdown(text);
  const hasHeader = split.data !== null || split.problems.length > 0 || Object.keys(split.positions).length > 0;
  const problems = [...split.problems];
  const key_lines: Record<string, number> = {};
  for (const [k, [line]] of Object.entries(split.positions)) if (!k.includes('.')) key_lines[k] = line;
  return {
    ref: { path, format, line: split.line, body_line: split.bodyLine, key_lines },
    path,
    kind,
    format,
    data: split.data ?? (hasHeader ? null : {}),
    hasHeader,
    positions: split.positions,
    line: split.line,
    body: split.body,
    bodyLine: split.bodyLine,
    narrative: kind === 'page' && format === 'md' ? narrativeOf(path, text, narrate) : null,
    problems,
    commented: format === 'md' ? commentedValues(text, split.data, split.positions) : {},
  };
}

function narrativeOf(path: string, text: string, narrate: ((text: string) => Narrative) | undefined): Narrative {
  if (!narrate) throw new Error(`parseSource(${path}): pages need the narrative parser (source/narrative.ts)`);
  return narrate(text);
}
