import { type Document, LineCounter, parseDocument, visit } from 'yaml';
import { findFrontmatter } from './frontmatter-block.ts';
import { collectKeyPositions, type KeyPositions } from './positions.ts';
import { unclosedQuoteStart } from './unclosed-quote.ts';
import { checkAliases } from './yaml-aliases.ts';

export { findFrontmatter } from './frontmatter-block.ts';

/** A YAML problem inside the frontmatter, in file coordinates (1-based). */
export interface SourceProblem {
  line: number;
  column: number;
  message: string;
  rule: string;
}

/** A source file split into its frontmatter data and body. */
export interface SplitSource {
  /** Parsed frontmatter; null when there is none or it is not a mapping. */
  data: Record<string, unknown> | null;
  positions: KeyPositions;
  /** 1-based line of the opening `---`. */
  line: number;
  body: string;
  /** 1-based line where the body starts. */
  bodyLine: number;
  problems: SourceProblem[];
}

/** Splits Markdown into frontmatter (parsed with positions) and body. */
export function splitMarkdown(text: string): SplitSource {
  const block = findFrontmatter(text);
  if (!block) {
    return { data: null, positions: {}, line: 1, body: text, bodyLine: 1, problems: [] };
  }
  const yamlText = text.slice(block.yamlStart, block.yamlEnd);
  const bodyLine = countLines(text, block.bodyStart) + 1;
  const parsed = parseYamlWithPositions(yamlText, block.yamlLineOffset);
  return { ...parsed, line: 1, body: text.slice(block.bodyStart), bodyLine };
}

/** Parses a YAML mapping, keeping every error (not only the first) and each key's position. */
export function parseYamlWithPositions(
  yamlText: string,
  lineOffset: number,
): { data: Record<string, unknown> | null; positions: KeyPositions; problems: SourceProblem[] } {
  const { value, positions, problems } = parseYamlValue(yamlText, lineOffset);
  if (problems.length) return { data: null, positions: {}, problems };
  if (value === null || value === undefined) return { data: {}, positions: {}, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ line: 1 + lineOffset, column: 1, message: 'frontmatter must be a mapping of `key: value` pairs', rule: 'yaml-syntax' });
    return { data: null, positions: {}, problems };
  }
  return { data: value as Record<string, unknown>, positions, problems };
}

/** Parses any YAML value with all its errors and key positions. */
export function parseYamlValue(yamlText: string, lineOffset: number): { value: unknown; positions: KeyPositions; problems: SourceProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: SourceProblem[] = doc.errors.map((err) => {
    // A missing closing quote is reported where the quote opens, not where YAML gave up.
    const opened = /Missing closing/.test(err.message) ? unclosedQuoteStart(yamlText) : null;
    const { line, col } = lineCounter.linePos(opened ?? err.pos[0]);
    const message = opened === null ? `malformed YAML: ${firstLine(err.message)}` : `malformed YAML: this ${yamlText[opened]} quote is never closed`;
    return { line: line + lineOffset, column: col, message, rule: 'yaml-syntax' };
  });
  if (problems.length) return { value: null, positions: {}, problems };
  const at = (offset: number, message: string): SourceProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col, message: `malformed YAML: ${message}`, rule: 'yaml-syntax' };
  };
  // Both walks run only when the text could need them (an alias needs `*`; 2^53 has 16 digits).
  const alias = yamlText.includes('*') ? checkAliases(doc) : null;
  if (alias) return { value: null, positions: {}, problems: [at(alias.offset, alias.message)] };
  const big = /\d{16}|0x[0-9a-f]{14}|0o[0-7]{18}/i.test(yamlText) ? findInexactInteger(doc) : null;
  if (big) return { value: null, positions: {}, problems: [{ ...at(big.offset, big.message), rule: 'inexact-number' }] };
  let value: unknown;
  try {
    // Aliases were bounded by their expansion above; yaml's own count limit would refuse valid heavy use.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    return { value: null, positions: {}, problems: [at(0, firstLine((e as Error).message))] };
  }
  return { value, positions: collectKeyPositions(doc.contents, lineCounter, lineOffset), problems };
}

/**
 * An integer written without quotes that a JavaScript number cannot hold
 * exactly (beyond 2^53): it would silently change (a seed, an id), so it is
 * reported instead.
 */
function findInexactInteger(doc: Document): { offset: number; message: string } | null {
  let found: { offset: number; message: string } | null = null;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || Number.isSafeInteger(node.value) || !Number.isInteger(node.value)) return;
      const source = (node as { source?: string }).source ?? '';
      if (!/^[-+]?(0x[0-9a-f]+|0o[0-7]+|[0-9][0-9_]*)$/i.test(source)) return; // 1e300 is written as a float: it is one
      found = {
        offset: node.range?.[0] ?? 0,
        message: `the integer ${source} is larger than 2^53 and would lose precision; quote it ("${source}") to keep it exact`,
      };
      return visit.BREAK;
    },
  });
  return found;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Number of newlines before `offset`. */
function countLines(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
