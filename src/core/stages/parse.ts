/**
 * Stage 2 — parse: turn one source file's text into frontmatter data (with the
 * position of every key) and body. Pure and per-file, so results can be cached.
 */
import type { Heading, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { NARRATIVE_SECTIONS, type NarrativeKey } from '../schema/page.ts';
import type { Narrative, SourceRef } from '../model.ts';
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
}

export function parseSource(path: string, kind: SourceKind, text: string): ParsedSource {
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
    narrative: kind === 'page' && format === 'md' ? extractNarrative(text) : null,
    problems,
  };
}

const SECTION_BY_TITLE = new Map<string, NarrativeKey>(
  Object.entries(NARRATIVE_SECTIONS).map(([key, title]) => [title.toLowerCase(), key as NarrativeKey]),
);

/**
 * Splits a page body into its `## Goals` … `## Next Steps` sections with remark,
 * so headings inside code blocks or setext headings are handled like GitHub does.
 * Other sections, and text before the first heading, are kept verbatim in `other`.
 */
export function extractNarrative(text: string): Narrative {
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).parse(text) as Root;
  const narrative: Narrative = { goals: null, hypothesis: null, observations: null, conclusions: null, next_steps: null, other: null };
  const bodyStart = tree.children[0]?.type === 'yaml' ? tree.children[0].position!.end.offset! : 0;
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading' && n.depth <= 2);
  const other: string[] = [];
  const firstStart = headings[0]?.position!.start.offset ?? text.length;
  const preamble = text.slice(bodyStart, firstStart).trim();
  if (preamble) other.push(preamble);
  headings.forEach((h, i) => {
    const start = h.position!.start.offset!;
    const contentStart = h.position!.end.offset!;
    const end = headings[i + 1]?.position!.start.offset ?? text.length;
    const title = text.slice(start, contentStart).replace(/^#+\s*|\s*#*\s*$/g, '').replace(/\n[=-]+$/, '').trim();
    const key = h.depth === 2 ? SECTION_BY_TITLE.get(title.toLowerCase().replace(/[:.]$/, '')) : undefined;
    const content = text.slice(contentStart, end).replace(/\r\n/g, '\n').trim();
    if (key) narrative[key] = narrative[key] ? `${narrative[key]}\n\n${content}` : content;
    else other.push(text.slice(start, end).trim());
  });
  narrative.other = other.length ? other.join('\n\n') : null;
  return narrative;
}
