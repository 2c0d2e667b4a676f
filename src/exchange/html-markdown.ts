/**
 * HTML text from other ELNs (eLabFTW, RSpace …) as Markdown, through the unified
 * toolchain the compiler already uses (rehype-parse → rehype-remark →
 * remark-gfm → remark-stringify): tables, lists, emphasis and links survive;
 * styles and scripts do not. Links and images relative to the other ELN's own server
 * (`app/download.php?…` in eLabFTW) lead nowhere in this journal: their text is kept and the
 * address is written as code, so nothing is lost and no link dangles.
 */

import type { Image, Link, Parent, PhrasingContent, Root } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { SKIP, visit } from 'unist-util-visit';

/** Whether a text is HTML rather than plain text or Markdown. */
export function looksLikeHtml(text: string, encodingFormat?: string | null): boolean {
  if (encodingFormat && /html/i.test(encodingFormat)) return true;
  return /<(p|div|h[1-6]|ul|ol|li|table|br|span|strong|em|a)\b[^>]*>/i.test(text);
}

/** An address with a scheme (`https:`, `mailto:` …), a fragment or an absolute path still means something here. */
const KEPT_URL = /^(?:[a-z][a-z0-9+.-]*:|#|\/)/i;

/** Relative links and images (to the other ELN's server) become their text plus the address as code. */
function unlinkForeignRelative() {
  return (tree: Root) => {
    visit(tree, (node, index, parent: Parent | undefined) => {
      if ((node.type !== 'link' && node.type !== 'image') || !parent || index === undefined) return;
      const { url } = node as Link | Image;
      if (KEPT_URL.test(url)) return;
      const label: PhrasingContent[] =
        node.type === 'link' ? (node as Link).children : (node as Image).alt ? [{ type: 'text', value: (node as Image).alt! }] : [];
      const replacement: PhrasingContent[] = [
        ...label,
        { type: 'text', value: label.length ? ' (' : '(' },
        { type: 'inlineCode', value: url },
        { type: 'text', value: ')' },
      ];
      parent.children.splice(index, 1, ...(replacement as Parent['children']));
      return [SKIP, index + replacement.length];
    });
  };
}

export function htmlToMarkdown(html: string): string {
  const file = unified()
    .use(rehypeParse, { fragment: true })
    .use(rehypeRemark)
    .use(unlinkForeignRelative)
    .use(remarkGfm)
    .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', fences: true, rule: '-' })
    .processSync(html);
  return String(file)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
