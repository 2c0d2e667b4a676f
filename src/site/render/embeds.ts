/**
 * Obsidian's note embeds: `![[Note]]`, `![[Note#Heading]]` and `![[Note#^block]]` on a line of
 * their own show the note (or that part of it) in place, as Obsidian and Quartz do, with a link
 * to where it comes from. The text is the record's own (an entry's notes, a page's narrative, a
 * notebook's overview), rendered by the same pipeline; embeds inside it are followed a few levels
 * deep, never in a circle.
 */
import { createHash } from 'node:crypto';
import GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { parseWikiTarget } from '../../core/references.ts';
import type { LinkTarget } from '../../core/references.ts';
import type { SiteLinks } from './context.ts';

/** The text a record shows on its page, as an embed shows it. */
export interface EmbedText {
  text: string;
  format: 'md' | 'org';
}

/** How deep embeds inside embedded notes are followed. */
export const MAX_EMBED_DEPTH = 3;

/** `![[…]]` alone on a line (blank around it allowed). */
const EMBED_LINE = /^[ \t]*!\[\[([^[\]\n]+?)\]\][ \t]*$/gm;

/** A record's embeddable part: the whole text, a heading's section, or a `^block`. */
export function embedPart(source: EmbedText, inner: string): EmbedText | null {
  const { heading } = parseWikiTarget(inner);
  const block = /#\^([\w-]+)/.exec(inner.split('|')[0]!)?.[1];
  if (block) {
    const text = blockOf(source.text, block);
    return text === null ? null : { ...source, text };
  }
  if (!heading) return source;
  const text = sectionOf(source.text, source.format, heading);
  return text === null ? null : { ...source, text };
}

/** The heading named (by text or by its slug) and what follows it, up to the next heading as high or higher. */
function sectionOf(text: string, format: 'md' | 'org', heading: string): string | null {
  const want = new GithubSlugger().slug(heading);
  const lines = text.split('\n');
  const levelOf = (line: string): { level: number; title: string } | null => {
    const m = format === 'md' ? /^(#{1,6})[ \t]+(.*?)[ \t#]*$/.exec(line) : /^(\*+)[ \t]+(.*?)(?:[ \t]+:[\w@#%:]+:)?[ \t]*$/.exec(line);
    return m ? { level: m[1]!.length, title: m[2]! } : null;
  };
  let fence: string | null = null;
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = format === 'md' ? /^\s{0,3}(`{3,}|~{3,})/.exec(line) : null;
    if (f) {
      if (!fence) fence = f[1]!;
      else if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (fence) continue;
    const h = levelOf(line);
    if (!h) continue;
    if (start >= 0 && h.level <= level) return lines.slice(start, i).join('\n');
    if (start < 0 && new GithubSlugger().slug(h.title) === want) {
      start = i;
      level = h.level;
    }
  }
  return start >= 0 ? lines.slice(start).join('\n') : null;
}

/** The paragraph or list item that ends with ` ^id` (Obsidian's block reference), without the marker. */
function blockOf(text: string, id: string): string | null {
  const marker = new RegExp(`[ \\t]\\^${id.replace(/[-]/g, '\\-')}[ \\t]*$`);
  const lines = text.split('\n');
  const at = lines.findIndex((l) => marker.test(l));
  if (at < 0) return null;
  let start = at;
  while (start > 0 && lines[start - 1]!.trim() && !/^\s*([-*+]|\d+[.)])\s/.test(lines[start]!)) start--;
  return [...lines.slice(start, at), lines[at]!.replace(marker, '')].join('\n');
}

/** The embeds of `text` that show a record: each `![[…]]` alone on its line whose target is an entry, page or notebook. */
function recordEmbeds(text: string, sourcePath: string, links: SiteLinks): { inner: string; target: LinkTarget; part: EmbedText | null }[] {
  if (!text.includes('![[')) return [];
  const out: { inner: string; target: LinkTarget; part: EmbedText | null }[] = [];
  for (const m of text.matchAll(EMBED_LINE)) {
    const inner = m[1]!;
    const target = links.table.resolve(parseWikiTarget(inner).name, sourcePath, true).target;
    if (!target || target.kind === 'attachment') continue;
    const source = links.text(target);
    out.push({ inner, target, part: source && embedPart(source, inner) });
  }
  return out;
}

/**
 * A digest of every text `text` embeds, followed as deep as rendering follows it: the record
 * that embeds a note must be made again when that note changes.
 */
export function embedSignature(text: string, sourcePath: string, links: SiteLinks, chain: string[] = []): string {
  if (!text.includes('![[')) return '';
  const h = createHash('sha1');
  const walk = (t: string, from: string, seen: string[]) => {
    if (seen.length > MAX_EMBED_DEPTH) return;
    for (const { inner, target, part } of recordEmbeds(t, from, links)) {
      h.update(`${inner}\0${target.path}\0${part ? `${part.format}\0${part.text}` : '-'}\n`);
      if (part && !seen.includes(target.path)) walk(part.text, target.path, [...seen, target.path]);
    }
  };
  walk(text, sourcePath, [...chain, sourcePath]);
  return h.digest('hex');
}

/**
 * Fills each embed's empty body (`div.transclude-body`, made by remark-obsidian) with the embedded
 * record's HTML, in document order. Runs after sanitizing and finishing the outer text: the embedded
 * HTML was sanitized and finished by its own rendering, and must not be renumbered again.
 */
export function rehypeEmbeds() {
  return (tree: Root, file: VFile) => {
    const bodies = (file.data as { embeds?: string[] }).embeds;
    if (!bodies?.length) return;
    let next = 0;
    visit(tree, 'element', (node: Element) => {
      const className = node.properties.className;
      if (node.tagName !== 'div' || !Array.isArray(className) || !className.includes('transclude-body')) return;
      const html = bodies[next++];
      if (html) node.children = [{ type: 'raw', value: html } as never];
      return 'skip';
    });
  };
}
