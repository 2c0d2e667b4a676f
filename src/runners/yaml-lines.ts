/** Line-level helpers for splicing the runner's keys into YAML text without touching anything else. */

/**
 * The comment at the end of a runner key's first line (`status: created  # reviewed`),
 * with the spaces before it; '' when there is none. It is the user's, so it stays.
 */
export function keyLineComment(yamlText: string, keyRange: [number, number, number], valueRange: [number, number, number] | undefined): string {
  const eolAt = yamlText.indexOf('\n', keyRange[0]);
  const lineEndAt = eolAt === -1 ? yamlText.length : eolAt;
  // After a value on the same line (a scalar, a flow collection), else after the key's colon.
  const from = valueRange && valueRange[0] < lineEndAt ? valueRange[1] : keyRange[1];
  if (from > lineEndAt) return '';
  const rest = yamlText.slice(from, lineEndAt).replace(/\r$/, '');
  const m = /^(?:[ \t]*:)?([ \t]+#.*)$/.exec(rest);
  return m ? m[1]! : '';
}

/** Puts a kept comment back at the end of the first line of a rendered key. */
export function withComment(rendered: string, comment: string): string {
  if (!comment) return rendered;
  const nl = rendered.search(/\r?\n/);
  return nl === -1 ? rendered + comment : rendered.slice(0, nl) + comment + rendered.slice(nl);
}

/** The line ending most lines of `text` use (a file with mixed endings gets the one around the runner's keys). */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}
