/**
 * Math typeset by KaTeX at build time: `$…$`, `$$…$$` (remark-math), GitHub's ```math blocks,
 * and Org's `$…$`, `\(…\)`, `\[…\]` and LaTeX environments (uniorg). The TeX goes to KaTeX
 * exactly as written. KaTeX's HTML is inserted as it comes (a raw node) rather than parsed back
 * into a tree, which is most of what typesetting costs otherwise; it is generated markup, not
 * user HTML (`trust` is off: no `\href`, `\url` or `\htmlClass` passes through).
 */
import type { Element, Root } from 'hast';
import katex from 'katex';
import { visit } from 'unist-util-visit';

const OPTIONS = { throwOnError: false, strict: false, output: 'htmlAndMathml', trust: false } as const;

const textOf = (node: Element): string => node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : '')).join('');

export function rehypeMath() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (!parent || index === undefined) return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : [];
      const code = node.tagName === 'pre' ? node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code') : undefined;
      const codeClasses = code && Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
      let tex: string;
      let display: boolean;
      if (code && codeClasses.includes('language-math')) {
        tex = textOf(code);
        display = true;
      } else if (classes.includes('language-math') || classes.includes('math-inline') || classes.includes('math-display')) {
        tex = textOf(node);
        display = classes.includes('math-display');
      } else return;
      let html: string;
      try {
        html = katex.renderToString(tex.replace(/\n$/, ''), { ...OPTIONS, displayMode: display });
      } catch {
        // Not a parse error (those render in place): too deep, too many expansions. Show the TeX.
        return;
      }
      (parent as Element).children[index] = { type: 'raw', value: html } as never;
      return 'skip';
    });
  };
}
