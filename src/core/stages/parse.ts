/**
 * Stage 2 — parse: turn one source file's text into frontmatter data (with the
 * position of every key) and body. Pure and per-file, so results can be cached.
 */
import { sha256 } from '../hash.ts';
import type { Narrative, SourceRef } from '../model.ts';
import { findOrgIds, findReferences, type Reference } from '../references.ts';
import { findBodyTags } from '../source/body-tags.ts';
import { findAnchors } from '../source/anchors.ts';
import { blankComments } from '../source/obsidian-comments.ts';
import { commentedValues } from '../source/comment-values.ts';
import { decodeUtf8 } from '../source/encoding.ts';
import { type SourceProblem, splitMarkdown } from '../source/frontmatter.ts';
import { splitOrg } from '../source/org.ts';
import { extractOrgNarrative } from '../source/org-narrative.ts';
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
  /** Wikilinks, embeds and Org `id:`/`file:` links in the body (resolved by the references check). */
  references: Reference[];
  /** Org `:ID:` properties anywhere in the file (headline ids are link targets too). */
  orgIds: string[];
  /** `#tags` in a Markdown body, headline tags in Org: indexed with the file's tags. */
  bodyTags: string[];
  /** Headings and block ids of a Markdown body, where `[[Note#Heading]]` can land (anchors.ts); none for Org. */
  anchors: string[];
  /**
   * sha256 of a Markdown file's text before its body (the frontmatter block, fences included);
   * null for Org and for Markdown without frontmatter. Equal headers parse and validate alike.
   */
  header: string | null;
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
export function parseSource(path: string, kind: SourceKind, input: string | Uint8Array, narrate?: (text: string) => Narrative): ParsedSource {
  const format = path.toLowerCase().endsWith('.org') ? 'org' : 'md';
  const decoded = typeof input === 'string' ? { ok: true as const, text: input } : decodeUtf8(input);
  if (!decoded.ok) return unreadable(path, kind, format, decoded.problem);
  const text = decoded.text;
  const split = format === 'org' ? splitOrg(text) : splitMarkdown(text);
  if (format === 'org' && split.data && kind !== 'page') orgDateAsCreated(split.data, split.positions, kind);
  // A page's date is a day: the time of an Org timestamp (`[2024-07-16 Tue 10:30]`) is dropped.
  if (format === 'org' && split.data && kind === 'page' && typeof split.data.date === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(split.data.date)) {
    split.data.date = split.data.date.slice(0, 10);
  }
  const hasHeader = split.data !== null || split.problems.length > 0 || Object.keys(split.positions).length > 0;
  const problems = [...split.problems];
  const key_lines: Record<string, number> = {};
  for (const [k, [line]] of Object.entries(split.positions)) if (!k.includes('.')) key_lines[k] = line;
  // What Obsidian's reading view shows of a Markdown body: links, tags and headings in `%%comments%%` are not there.
  const shown = format === 'md' ? blankComments(split.body) : split.body;
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
    header: format === 'md' && split.body.length < text.length ? sha256(text.slice(0, text.length - split.body.length)) : null,
    narrative: kind !== 'page' ? null : format === 'md' ? narrativeOf(path, text, narrate) : extractOrgNarrative(split.body),
    // Org bodies start with the header's in-buffer settings, so Org links are found in the whole text.
    references: format === 'org' ? findReferences(text, 'org', 1) : findReferences(shown, 'md', split.bodyLine),
    bodyTags: findBodyTags(shown, format),
    anchors: format === 'md' ? findAnchors(shown) : [],
    orgIds: format === 'org' ? findOrgIds(text) : [],
    problems,
    commented: format === 'md' ? commentedValues(text, split.data, split.positions) : {},
  };
}

/**
 * `#+DATE:` is Org's date of the document: an entry's `created` when it has none; on a
 * notebook it is the export date and means nothing to the journal.
 */
function orgDateAsCreated(data: Record<string, unknown>, positions: KeyPositions, kind: SourceKind): void {
  if (!('date' in data)) return;
  if (kind === 'entry' && !('created' in data)) {
    data.created = data.date;
    positions.created = positions.date!;
  }
  delete data.date;
  delete positions.date;
}

function narrativeOf(path: string, text: string, narrate: ((text: string) => Narrative) | undefined): Narrative {
  if (!narrate) throw new Error(`parseSource(${path}): pages need the narrative parser (source/narrative.ts)`);
  return narrate(text);
}

/** A file that cannot be decoded: one problem at its first bad byte, no data (so nothing downstream reads it). */
function unreadable(path: string, kind: SourceKind, format: 'md' | 'org', problem: SourceProblem): ParsedSource {
  return {
    ref: { path, format, line: 1, body_line: 1, key_lines: {} },
    path,
    kind,
    format,
    data: null,
    hasHeader: true,
    positions: {},
    line: 1,
    body: '',
    bodyLine: 1,
    header: null,
    narrative: null,
    problems: [problem],
    commented: {},
    references: [],
    orgIds: [],
    bodyTags: [],
    anchors: [],
  };
}
