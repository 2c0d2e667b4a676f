/**
 * Journal text → safe HTML. Everything users write (notes, narratives, overviews) goes
 * through here: GFM for Markdown, uniorg for Org, then rehype-sanitize (GitHub's schema),
 * so no script, event handler or `javascript:` URL from content reaches a page.
 */
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import uniorgParse from 'uniorg-parse';
import uniorgRehype from 'uniorg-rehype';

const markdownProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeStringify)
  .freeze();

const orgProcessor = unified().use(uniorgParse).use(uniorgRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

/** Renders Markdown (GFM) or Org text to sanitized HTML; empty text gives an empty string. */
export function renderText(text: string | null | undefined, format: 'md' | 'org' = 'md'): string {
  if (!text || !text.trim()) return '';
  if (format === 'md') {
    const plain = plainParagraphs(text);
    if (plain !== null) return plain;
  }
  const processor = format === 'org' ? orgProcessor : markdownProcessor;
  return String(processor.processSync(text));
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
    for (let i = 0; i < lines.length - 1; i++) if (/[ \t]$/.test(lines[i]) && lines[i + 1].trim()) return null;
    const body = lines.map((l) => l.trim()).filter((l, i, all) => l || (i > 0 && i < all.length - 1)).join('\n').trim();
    if (body) out.push(`<p>${body}</p>`);
  }
  return out.join('\n');
}

/** Plain text of rendered (sanitized) HTML, for excerpts and descriptions. */
export function htmlExcerpt(html: string, max = 180): string {
  const plain = html
    .replace(/<(pre|table)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? plain.slice(0, max - 1).trimEnd() + '…' : plain;
}
