/**
 * Tags written in a body: Obsidian's `#tag` in Markdown text (not in code, not a
 * heading, not a URL fragment) and Org headline tags (`* Heading  :a:b:`).
 */

/**
 * `#tag`: after a line start or a blank, letters/digits/`_`/`-`/`/`, not only digits (Obsidian's rule).
 * Group 1 is what precedes the `#`, group 2 the tag (trailing `/` are not part of it).
 */
export const HASHTAG = /(^|[\s(])#([\p{L}\p{N}_/-]*[\p{L}_/-][\p{L}\p{N}_/-]*)/gu;
const ORG_HEADLINE_TAGS = /^\*+[ \t].*?[ \t]+:([\p{L}\p{N}_@#%:]+):[ \t]*\r?$/u;

/** Distinct tags of a body, in order of first use. */
export function findBodyTags(body: string, format: 'md' | 'org'): string[] {
  if (format === 'md' ? !body.includes('#') : !/^\*+[ \t].*:[ \t]*\r?$/m.test(body)) return [];
  const tags = new Set<string>();
  let fence: string | null = null;
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (format === 'org') {
      if (line.includes('#+')) {
        if (/^\s*#\+begin_/i.test(line)) fence = 'block';
        else if (/^\s*#\+end_/i.test(line)) fence = null;
      }
      const m = fence || line[0] !== '*' ? null : ORG_HEADLINE_TAGS.exec(line);
      if (m) for (const t of m[1]!.split(':')) if (t) tags.add(t);
      continue;
    }
    const f = line.includes('``') || line.includes('~~') ? /^\s{0,3}(`{3,}|~{3,})/.exec(line) : null;
    if (f) {
      if (!fence) fence = f[1]!;
      else if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (fence || !line.includes('#') || /^( {4}|\t)/.test(line)) continue;
    let text = line;
    if (text.includes('`')) text = text.replace(/`[^`]*`/g, ' ');
    if (text.includes('<')) text = text.replace(/<[^>]*>/g, ' ');
    if (text.includes('](')) text = text.replace(/\]\([^)]*\)/g, ']');
    if (text.includes('[[')) text = text.replace(/\[\[[^\]]*\]\]/g, ' ');
    for (const m of text.matchAll(HASHTAG)) tags.add(m[2]!.replace(/\/+$/, ''));
  }
  return [...tags].filter(Boolean);
}
