/**
 * Tags written in a body: Obsidian's `#tag` in Markdown text (not in code, not a
 * heading, not a URL fragment) and Org headline tags (`* Heading  :a:b:`).
 */

/** `#tag`: after a line start or a blank, letters/digits/`_`/`-`/`/`, not only digits (Obsidian's rule). */
const HASHTAG = /(^|[\s(])#([\p{L}\p{N}_/-]*[\p{L}_/-][\p{L}\p{N}_/-]*)/gu;
const ORG_HEADLINE_TAGS = /^\*+[ \t].*?[ \t]+:([\p{L}\p{N}_@#%:]+):[ \t]*\r?$/u;

/** Distinct tags of a body, in order of first use. */
export function findBodyTags(body: string, format: 'md' | 'org'): string[] {
  const tags = new Set<string>();
  let fence: string | null = null;
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (format === 'org') {
      if (/^\s*#\+begin_/i.test(line)) fence = 'block';
      else if (/^\s*#\+end_/i.test(line)) fence = null;
      const m = fence ? null : ORG_HEADLINE_TAGS.exec(line);
      if (m) for (const t of m[1].split(':')) if (t) tags.add(t);
      continue;
    }
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1];
      else if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (fence || /^( {4}|\t)/.test(line)) continue;
    const text = line.replace(/`[^`]*`/g, ' ').replace(/<[^>]*>/g, ' ').replace(/\]\([^)]*\)/g, ']').replace(/\[\[[^\]]*\]\]/g, ' ');
    for (const m of text.matchAll(HASHTAG)) tags.add(m[2].replace(/\/+$/, ''));
  }
  return [...tags].filter(Boolean);
}
