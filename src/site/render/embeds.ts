/**
 * Obsidian's note embeds: `![[Note]]`, `![[Note#Heading]]` and `![[Note#^block]]` on a line of
 * their own show the note (or that part of it) in place, as Obsidian and Quartz do, with a link
 * to where it comes from. The text is the record's own (an entry's notes, a page's narrative, a
 * notebook's overview), rendered by the same pipeline; embeds inside it are followed a few levels
 * deep, never in a circle.
 */
import { createHash } from 'node:crypto';
import type { Element, Root as HastRoot } from 'hast';
import type { Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { type LinkTarget, parseWikiTarget } from '../../core/references.ts';
import { BLOCK_ID, type Heading, sameHeading, scanMarkdown } from '../../core/source/anchors.ts';
import type { RenderContext, SiteLinks } from './context.ts';

/** The text a record shows on its page, as an embed shows it. */
export interface EmbedText {
  text: string;
  format: 'md' | 'org';
}

/** Renders a record's text to finished HTML (markdown.ts's renderText, passed in: no import cycle). */
export type RenderNested = (text: string, format: 'md' | 'org', ctx: RenderContext) => string;

/** How deep embeds inside embedded notes are followed. */
const MAX_EMBED_DEPTH = 3;

/** `![[…]]` alone on a line (blank around it allowed). */
const EMBED_LINE = /^[ \t]*!\[\[([^[\]\n]+?)\]\][ \t]*$/gm;

/** A record's embeddable part: the whole text, a heading's section, or a `^block`. */
function embedPart(source: EmbedText, inner: string): EmbedText | null {
  const { heading } = parseWikiTarget(inner);
  const block = /#\^([\w-]+)/.exec(inner.split('|')[0]!)?.[1];
  if (block) {
    const text = blockOf(source, block);
    return text === null ? null : { ...source, text };
  }
  if (!heading) return source;
  const text = sectionOf(source.text, source.format, heading);
  return text === null ? null : { ...source, text };
}

/** The heading named and what follows it, up to the next heading as high or higher (the headings `lab check` knows). */
function sectionOf(text: string, format: 'md' | 'org', heading: string): string | null {
  const lines = text.split('\n');
  const headings = format === 'md' ? scanMarkdown(text).headings : orgHeadlines(lines);
  const at = headings.findIndex((h) => sameHeading(h.text, heading));
  if (at < 0) return null;
  const { line, level } = headings[at]!;
  const end = headings.slice(at + 1).find((h) => h.level <= level)?.line ?? lines.length;
  return lines.slice(line, end).join('\n');
}

/** Org headlines, their tags left out. */
function orgHeadlines(lines: string[]): Heading[] {
  const out: Heading[] = [];
  lines.forEach((line, i) => {
    const m = /^(\*+)[ \t]+(.*?)(?:[ \t]+:[\w@#%:]+:)?[ \t]*$/.exec(line);
    if (m) out.push({ line: i, level: m[1]!.length, text: m[2]! });
  });
  return out;
}

/** The paragraph or list item that ends with ` ^id` (Obsidian's block reference), without the marker. */
function blockOf(source: EmbedText, id: string): string | null {
  if (source.format !== 'md') return null;
  const at = scanMarkdown(source.text).blocks.find((b) => b.id === id)?.line;
  if (at === undefined) return null;
  const lines = source.text.split('\n');
  let start = at;
  while (start > 0 && lines[start - 1]!.trim() && !/^\s*([-*+]|\d+[.)])\s/.test(lines[start]!)) start--;
  return [...lines.slice(start, at), lines[at]!.replace(BLOCK_ID, '')].join('\n');
}

/** The entry, page or notebook an embed names, with the text it shows; null for a file or nothing. */
function embeddedRecord(inner: string, from: string, links: SiteLinks): { target: LinkTarget; source: EmbedText } | null {
  const target = links.table.resolve(parseWikiTarget(inner).name, from, true).target;
  const source = target && links.text(target);
  return target && source ? { target, source } : null;
}

/** The embeds of `text` that show a record: each `![[…]]` alone on its line whose target is an entry, page or notebook. */
function recordEmbeds(text: string, sourcePath: string, links: SiteLinks): { inner: string; target: LinkTarget; part: EmbedText | null }[] {
  if (!text.includes('![[')) return [];
  const out: { inner: string; target: LinkTarget; part: EmbedText | null }[] = [];
  for (const m of text.matchAll(EMBED_LINE)) {
    const found = embeddedRecord(m[1]!, sourcePath, links);
    if (found) out.push({ inner: m[1]!, target: found.target, part: embedPart(found.source, m[1]!) });
  }
  return out;
}

const EMBED_ALONE = /^!\[\[([^[\]\n]+?)\]\]$/;

/**
 * A paragraph made only of `![[Note]]` lines becomes one embed block per line: a link to the
 * record, and an empty body that rehypeEmbeds fills with the record's rendered text once the
 * outer text is sanitized (the embedded HTML went through the same sanitizer on its own).
 */
export function transclusions(tree: Root, ctx: RenderContext, render: RenderNested, file: VFile): void {
  const chain = ctx.embedChain ?? (ctx.sourcePath ? [ctx.sourcePath] : []);
  const bodies: string[] = ((file.data as { embeds?: string[] }).embeds ??= []);
  visit(tree, 'paragraph', (node: Paragraph, index, parent: Parent | undefined) => {
    if (!parent || index === undefined || !node.children.every((c) => c.type === 'text')) return;
    const lines = node.children
      .map((c) => (c as Text).value)
      .join('')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const inners = lines.map((l) => EMBED_ALONE.exec(l)?.[1]);
    if (!inners.length || inners.some((i) => i === undefined)) return;
    const blocks: RootContent[] = [];
    for (const inner of inners as string[]) {
      const { heading } = parseWikiTarget(inner);
      const found = embeddedRecord(inner, ctx.sourcePath ?? '', ctx.links!);
      const url = found && ctx.links!.url(found.target, heading);
      if (!found || !url) return; // a file, or nothing: the inline pass shows it
      const { target, source } = found;
      const part = embedPart(source, inner);
      const label = heading ? `${target.title} › ${heading}` : target.title;
      const link: PhrasingContent = {
        type: 'link',
        url,
        children: [{ type: 'text', value: label }],
        data: { hProperties: { className: ['wikilink', 'embed'] } },
      };
      // Too deep, in a circle, or a part that is not there: the embed stays a link.
      if (!part || chain.includes(target.path) || chain.length > MAX_EMBED_DEPTH) {
        blocks.push({ type: 'paragraph', children: [link] });
        continue;
      }
      bodies.push(
        render(part.text, part.format, {
          sourcePath: target.path,
          links: ctx.links,
          headingBase: Math.min(6, (ctx.headingBase ?? 2) + 1),
          scope: `${ctx.scope ?? ''}embed${bodies.length + 1}-`,
          slugger: ctx.slugger,
          title: heading ? undefined : target.title,
          embedChain: [...chain, target.path],
        }),
      );
      blocks.push({
        type: 'blockquote',
        children: [
          { type: 'paragraph', children: [link], data: { hProperties: { className: ['transclude-title'] } } },
          { type: 'paragraph', children: [], data: { hName: 'div', hProperties: { className: ['transclude-body'] } } },
        ],
        data: { hName: 'div', hProperties: { className: ['transclude'] } },
      });
    }
    parent.children.splice(index, 1, ...(blocks as never[]));
    return index + blocks.length;
  });
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
 * Fills each embed's empty body (`div.transclude-body`, made by `transclusions`) with the embedded
 * record's HTML, in document order. Runs after sanitizing and finishing the outer text: the embedded
 * HTML was sanitized and finished by its own rendering, and must not be renumbered again.
 */
export function rehypeEmbeds() {
  return (tree: HastRoot, file: VFile) => {
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
