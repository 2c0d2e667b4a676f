/**
 * HTML text from other ELNs (eLabFTW, RSpace …) as Markdown, through the unified
 * toolchain the compiler already uses (rehype-parse → rehype-remark →
 * remark-gfm → remark-stringify): tables, lists, emphasis and links survive;
 * styles and scripts do not.
 */
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

/** Whether a text is HTML rather than plain text or Markdown. */
export function looksLikeHtml(text: string, encodingFormat?: string | null): boolean {
  if (encodingFormat && /html/i.test(encodingFormat)) return true;
  return /<(p|div|h[1-6]|ul|ol|li|table|br|span|strong|em|a)\b[^>]*>/i.test(text);
}

export function htmlToMarkdown(html: string): string {
  const file = unified()
    .use(rehypeParse, { fragment: true })
    .use(rehypeRemark)
    .use(remarkGfm)
    .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', fences: true, rule: '-' })
    .processSync(html);
  return String(file).replace(/\n{3,}/g, '\n\n').trim();
}
