/**
 * A page is rendered as several fragments (narrative sections, notes), each on its own.
 * Markdown footnotes may be defined in another section than where they are used (at the
 * end of the file, usually): each fragment gets the definitions it refers to.
 */

const DEFINITION = /^\[\^([^\]\s]+)\]:/;

/** Footnote definitions (with their indented continuation lines) of a Markdown text, by label. */
export function footnoteDefinitions(text: string): Map<string, string> {
  const defs = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = DEFINITION.exec(lines[i]!);
    if (!m) continue;
    const block = [lines[i]];
    while (i + 1 < lines.length && (/^( {2,}|\t)\S/.test(lines[i + 1]!) || (lines[i + 1]!.trim() === '' && /^( {2,}|\t)\S/.test(lines[i + 2] ?? ''))))
      block.push(lines[++i]);
    if (!defs.has(m[1]!)) defs.set(m[1]!, block.join('\n'));
  }
  return defs;
}

const ORG_DEFINITION = /^\[fn:([^\]\s]+)\][ \t]/;

/** Org footnote definitions (`[fn:1] text` up to a blank line, headline or next definition), by label. */
export function orgFootnoteDefinitions(text: string): Map<string, string> {
  const defs = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = ORG_DEFINITION.exec(lines[i]!);
    if (!m) continue;
    const block = [lines[i]];
    while (i + 1 < lines.length && lines[i + 1]!.trim() && !ORG_DEFINITION.test(lines[i + 1]!) && !/^\*+\s/.test(lines[i + 1]!)) block.push(lines[++i]);
    if (!defs.has(m[1]!)) defs.set(m[1]!, block.join('\n'));
  }
  return defs;
}

/** `text` plus the definitions of footnotes it uses but does not define. */
export function withFootnotes(text: string, all: Map<string, string>, format: 'md' | 'org' = 'md'): string {
  const ref = format === 'md' ? (label: string) => `[^${label}]` : (label: string) => `[fn:${label}]`;
  if (!all.size || !text.includes(format === 'md' ? '[^' : '[fn:')) return text;
  const own = format === 'md' ? footnoteDefinitions(text) : orgFootnoteDefinitions(text);
  const missing = [...all].filter(([label]) => !own.has(label) && text.includes(ref(label)));
  return missing.length ? `${text}\n\n${missing.map(([, def]) => def).join('\n\n')}\n` : text;
}
