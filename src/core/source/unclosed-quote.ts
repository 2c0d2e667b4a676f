/**
 * Where an unclosed quote opens. YAML reports a missing closing quote where it
 * gave up looking (often the end of the frontmatter); the person needs the
 * line where the quote was opened.
 */

/** Offset of the first quote that opens a scalar and is never closed; null when every quote closes. */
export function unclosedQuoteStart(text: string): number | null {
  let lineStart = 0;
  for (let pos = 0; pos < text.length; pos++) {
    const c = text[pos];
    if (c === '\n') {
      lineStart = pos + 1;
      continue;
    }
    const before = text.slice(lineStart, pos).trimEnd();
    if (c === '#' && (pos === lineStart || /\s/.test(text[pos - 1]!))) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) return null;
      pos = nl - 1;
      continue;
    }
    if ((c === '"' || c === "'") && (before === '' || /[:,[{-]$/.test(before))) {
      const close = closingQuote(text, pos);
      if (close < 0) return pos;
      pos = close;
      lineStart = text.lastIndexOf('\n', close) + 1;
    }
  }
  return null;
}

function closingQuote(text: string, open: number): number {
  const q = text[open];
  for (let j = open + 1; j < text.length; j++) {
    if (q === '"' && text[j] === '\\') j++;
    else if (q === "'" && text[j] === "'" && text[j + 1] === "'") j++;
    else if (text[j] === q) return j;
  }
  return -1;
}
