/**
 * Obsidian's comments `%%…%%` (inline or over lines) are the writer's own: Obsidian's reading
 * view leaves them out, and so do the site and the compiler's links and tags. Code keeps its
 * `%%`; an unclosed `%%` is text.
 */

/** A fenced code block, an inline code span, or a comment, whichever starts first. */
const CODE_OR_COMMENT = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n[ \t]{0,3}\1[ \t]*(?=\n|(?![\s\S]))|(?![\s\S]))|(`+)[\s\S]*?\2|%%[\s\S]*?%%/gm;

/** `text` without its comments. */
export function withoutComments(text: string): string {
  if (!text.includes('%%')) return text;
  return text.replace(CODE_OR_COMMENT, (match) => (match.startsWith('%%') ? '' : match));
}

/** `text` with its comments turned to spaces, line breaks kept: what is found in the result is at the file's line and column. */
export function blankComments(text: string): string {
  if (!text.includes('%%')) return text;
  return text.replace(CODE_OR_COMMENT, (match) => (match.startsWith('%%') ? match.replace(/[^\n]/g, ' ') : match));
}
