/**
 * Journal text → safe HTML. Everything users write (notes, narratives, overviews) goes
 * through here: GFM, math and Obsidian/Quartz syntax for Markdown, uniorg for Org, then
 * rehype-sanitize (GitHub's schema plus our own classes, src/site/render/schema.ts), so no
 * script, event handler or `javascript:` URL from content reaches a page. After sanitizing:
 * math typeset by KaTeX on the server (no client script), headings fitted under the page's
 * own and given permalink ids, footnotes and in-page links that land, journal links resolved.
 */
import GithubSlugger from 'github-slugger';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { type Processor, unified } from 'unified';
import uniorgParse from 'uniorg-parse';
import uniorgRehype from 'uniorg-rehype';
import { withoutComments } from '../core/source/obsidian-comments.ts';
import { todoKeywords } from '../core/source/org-values.ts';
import type { RenderContext } from './render/context.ts';
import { rehypeFinish } from './render/finish.ts';
import { rehypeEmbeds } from './render/embeds.ts';
import { rehypeMath } from './render/math.ts';
import { expandMacros, orgAnchors, orgFootnotesSection, orgHandlers } from './render/org.ts';
import { rehypeRelativeLinks } from './render/relative-links.ts';
import { remarkObsidian } from './render/remark-obsidian.ts';
import { sanitizeSchema } from './render/schema.ts';

export type { RenderContext } from './render/context.ts';

let markdownProcessor: Processor | undefined;

function markdown(): Processor {
  markdownProcessor ??= unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkMath)
    .use(remarkObsidian, { render: renderText })
    .use(remarkRehype, { clobberPrefix: '' })
    .use(rehypeRelativeLinks)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeFinish)
    .use(rehypeMath)
    // The embedded notes' HTML, each sanitized by its own rendering, goes in last.
    .use(rehypeEmbeds)
    .use(rehypeStringify, { allowDangerousHtml: true })
    .freeze() as unknown as Processor;
  return markdownProcessor;
}

function renderOrg(text: string, ctx: RenderContext): string {
  const keywords = todoKeywords(text);
  const localIds = new Set<string>();
  const processor = unified()
    .use(uniorgParse, { todoKeywords: keywords.all })
    .use(() => (tree) => orgAnchors(tree as never, localIds))
    .use(uniorgRehype, { handlers: orgHandlers(ctx, keywords.done, localIds), footnotesSection: orgFootnotesSection as never })
    .use(rehypeRelativeLinks)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeFinish)
    .use(rehypeMath)
    // Only KaTeX's own output is raw HTML here: sanitizing removed every raw node from content.
    .use(rehypeStringify, { allowDangerousHtml: true });
  return String(processor.processSync({ value: expandMacros(text), data: { render: ctx } }));
}

/**
 * Renders Markdown (GFM, math, Obsidian wikilinks and callouts) or Org text to sanitized
 * HTML; empty text gives an empty string. `ctx` says where the text comes from and how its
 * links and headings fit into the page (without it, journal links stay text).
 */
export function renderText(text: string | null | undefined, format: 'md' | 'org' = 'md', ctx: RenderContext = {}): string {
  if (!text || !text.trim()) return '';
  if (format === 'org') return renderOrg(text, ctx);
  const shown = withoutComments(text);
  if (!shown.trim()) return '';
  // Plain prose needs no parse, unless it names an entry, page or notebook (which becomes a link).
  const plain = plainParagraphs(shown);
  if (plain !== null && !(ctx.links && mentionsAnId(shown, ctx))) return plain;
  // Embedded notes take their heading ids from the same slugger as the text around them.
  const render = ctx.slugger || !shown.includes('![[') ? ctx : { ...ctx, slugger: new GithubSlugger() };
  return String(markdown().processSync({ value: shown, data: { render } }));
}

function mentionsAnId(text: string, ctx: RenderContext): boolean {
  for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}._]*-[\p{L}\p{N}._-]*[\p{L}\p{N}]/gu)) if (ctx.links!.table.id(m[0])) return true;
  return false;
}

/**
 * Only letters, digits, spaces and sentence punctuation; no character Markdown or GFM gives a
 * meaning to (emphasis, code, links, HTML, entities, escapes, tables, autolinks need `:`, `/`,
 * `@` or `www.`, which are absent or checked below).
 */
const PROSE = /^[\p{L}\p{N} \t\n.,;!?'"()%\u2013\u2014\u3001\u3002-]*$/u;

/**
 * The same HTML the unified pipeline makes, for the common case of notes that are plain prose
 * paragraphs — without parsing. Returns null whenever the text could contain any Markdown
 * construct; test/site/markdown.test.ts checks it against the real pipeline.
 */
export function plainParagraphs(text: string): string | null {
  if (!PROSE.test(text) || /www\./i.test(text)) return null;
  const paragraphs = text.split(/\n[ \t]*\n/);
  const out: string[] = [];
  for (const para of paragraphs) {
    const lines = para.split('\n');
    // Block syntax starts a line: indentation (code), list markers, setext underlines, numbers + `.`/`)`.
    for (const line of lines) if (/^(\s{4}|\t)|^\s*([-+]|\d+[.)])(\s|$)|^\s*-+\s*$/.test(line)) return null;
    // Trailing spaces before a line break inside a paragraph can mean a hard break (`<br>`).
    for (let i = 0; i < lines.length - 1; i++) if (/[ \t]$/.test(lines[i]!) && lines[i + 1]!.trim()) return null;
    const body = lines
      .map((l) => l.trim())
      .filter((l, i, all) => l || (i > 0 && i < all.length - 1))
      .join('\n')
      .trim();
    if (body) out.push(`<p>${body}</p>`);
  }
  return out.join('\n');
}

/** Plain text of rendered (sanitized) HTML, for excerpts and descriptions. */
export function htmlExcerpt(html: string, max = 180): string {
  const plain = withoutDecorations(html)
    .replace(/<(pre|table)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? plain.slice(0, max - 1).trimEnd() + '…' : plain;
}

/**
 * Drops what is there for the eye only: heading permalinks, KaTeX's drawn glyphs (the TeX
 * source in its MathML annotation is kept instead) and diagram images.
 */
function withoutDecorations(html: string): string {
  if (!html.includes('heading-anchor') && !html.includes('katex')) return html;
  let out = html.replace(/<a href="[^"]*" class="heading-anchor"[^>]*>#<\/a>/g, '');
  out = out.replace(/<math[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation><\/semantics><\/math>/g, ' $1 ');
  const open = '<span class="katex-html" aria-hidden="true">';
  for (let at = out.indexOf(open); at >= 0; at = out.indexOf(open, at)) {
    let depth = 0;
    const tag = /<(\/?)span\b[^>]*>/g;
    tag.lastIndex = at;
    let end = out.length;
    for (let m = tag.exec(out); m; m = tag.exec(out)) {
      depth += m[1] ? -1 : 1;
      if (depth === 0) {
        end = m.index + m[0].length;
        break;
      }
    }
    out = out.slice(0, at) + out.slice(end);
  }
  return out;
}
