/**
 * Where a Markdown file's frontmatter lies, found without parsing YAML: the
 * compiler's notes-only rebuild (see notes-edit.ts) reads it without loading the
 * YAML parser.
 */

/** Where the frontmatter block lies in a Markdown source, or null if it has none. */
export interface FrontmatterBlock {
  /** Offset of the first character of YAML text. */
  yamlStart: number;
  /** Offset just past the YAML text (start of the closing fence line). */
  yamlEnd: number;
  /** Offset where the body begins (after the closing fence's newline). */
  bodyStart: number;
  /** Number of lines before the YAML text (the BOM-free opening fence is line 1). */
  yamlLineOffset: number;
}

/**
 * Finds a `---` fenced frontmatter block at the very start of the file, the same
 * rule remark-frontmatter uses (closing fence `---` or `...`). Works with CRLF.
 */
export function findFrontmatter(text: string): FrontmatterBlock | null {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const open = /^---[ \t]*\r?\n/.exec(text.slice(start));
  if (!open) return null;
  const yamlStart = start + open[0].length;
  const fence = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;
  fence.lastIndex = yamlStart;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text))) {
    if (m.index === yamlStart || text[m.index - 1] === '\n') {
      return { yamlStart, yamlEnd: m.index, bodyStart: m.index + m[0].length, yamlLineOffset: 1 };
    }
  }
  return null;
}
