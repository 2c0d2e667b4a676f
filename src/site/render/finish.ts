/**
 * The last pass over sanitized HTML: heading levels fitted under the page's own
 * headings, heading ids with permalink anchors, footnote ids scoped to the fragment and
 * every in-page link pointed at the id it names, entry/page/notebook ids in text linked,
 * and Mermaid diagrams drawn. Runs after rehype-sanitize, on trusted structure only.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root, Text } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { RenderContext } from './context.ts';
import { renderMermaid } from './mermaid.ts';

const PREFIX = 'user-content-';
const NARRATIVE_SECTIONS = new Set(['goals', 'hypothesis', 'observations', 'conclusions', 'next-steps']);
const HEADING = /^h([1-6])$/;
/** Footnote ids of remark (`fn-1`, `fnref-1`, `footnote-label`) and uniorg (`fn.1`, `fnr.1`). */
const FOOTNOTE_ID = /^(fn-|fnref-|fn\.|fnr\.|footnote-label)/;

export function rehypeFinish() {
  return (tree: Root, file: VFile) => {
    const ctx = (file.data.render ?? {}) as RenderContext;
    mermaid(tree);
    if (ctx.title) dropRepeatedTitle(tree, ctx.title);
    const ids = scopeFootnotes(tree, ctx.scope ?? '');
    headings(tree, ctx, ids);
    fragmentLinks(tree, ids, ctx.scope ?? '');
    if (ctx.links) mentions(tree, ctx);
  };
}

const textOf = (node: ElementContent | Root): string =>
  node.type === 'text' ? node.value : 'children' in node ? node.children.map((c) => textOf(c as ElementContent)).join('') : '';

const classes = (node: Element): string[] => (Array.isArray(node.properties.className) ? node.properties.className.map(String) : []);

/** Footnote ids get the fragment's scope; returns every id in the fragment. */
function scopeFootnotes(tree: Root, scope: string): Set<string> {
  const ids = new Set<string>();
  const rename = (value: string) => {
    const bare = value.startsWith(PREFIX) ? value.slice(PREFIX.length) : value;
    return FOOTNOTE_ID.test(bare) && !bare.startsWith(scope) ? `${PREFIX}${scope}${bare}` : value;
  };
  visit(tree, 'element', (node: Element) => {
    for (const key of ['id', 'ariaDescribedBy', 'ariaLabelledBy'] as const) {
      const props = node.properties as Record<string, unknown>;
      const v = props[key];
      if (typeof v === 'string') props[key] = rename(v);
      else if (Array.isArray(v)) props[key] = v.map((x) => rename(String(x)));
    }
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  return ids;
}

/** Headings: levels shifted so the fragment's top level is `headingBase`; ids and permalink anchors. */
function headings(tree: Root, ctx: RenderContext, ids: Set<string>): void {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (HEADING.test(node.tagName)) found.push(node);
  });
  if (!found.length) return;
  const levels = found.filter((h) => !isFootnoteLabel(h)).map((h) => Number(h.tagName[1]));
  const shift = (ctx.headingBase ?? 2) - (levels.length ? Math.min(...levels) : 2);
  const slugger = ctx.slugger ?? new GithubSlugger();
  for (const h of found) {
    if (isFootnoteLabel(h)) {
      h.tagName = `h${Math.min(6, ctx.headingBase ?? 2)}`;
      continue;
    }
    h.tagName = `h${Math.max(1, Math.min(6, Number(h.tagName[1]) + shift))}`;
    let id = typeof h.properties.id === 'string' ? h.properties.id : null;
    // A CUSTOM_ID is taken as written; the slugger learns it so no later heading gets it too.
    if (id) slugger.slug(id.slice(PREFIX.length));
    else {
      const words = h.children.filter((c) => !(c.type === 'element' && classes(c).some((k) => k === 'tags' || k === 'todo-keyword' || k === 'priority')));
      id = `${PREFIX}${slugger.slug(words.map(textOf).join('').trim() || 'section')}`;
      h.properties.id = id;
    }
    ids.add(id);
    h.children.push(
      { type: 'text', value: ' ' },
      {
        type: 'element',
        tagName: 'a',
        properties: { href: `#${id}`, className: ['heading-anchor'], ariaLabel: `Link to this section: ${textOf(h).trim()}` },
        children: [{ type: 'text', value: '#' }],
      },
    );
  }
}

/** Obsidian notes often start with `# <title>`; the page shows the title already. */
function dropRepeatedTitle(tree: Root, title: string): void {
  const first = tree.children.findIndex((c) => !(c.type === 'text' && !c.value.trim()));
  const node = tree.children[first];
  if (node?.type === 'element' && HEADING.test(node.tagName) && textOf(node).trim().toLowerCase() === title.trim().toLowerCase()) {
    const next = tree.children[first + 1];
    tree.children.splice(first, next?.type === 'text' && !next.value.trim() ? 2 : 1);
  }
}

function isFootnoteLabel(h: Element): boolean {
  return typeof h.properties.id === 'string' && /footnote-label$/.test(h.properties.id);
}

/** `#x` links: to the fragment's id `user-content-x` (scoped for footnotes), else to a heading elsewhere on the page. */
function fragmentLinks(tree: Root, ids: Set<string>, scope: string): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !node.properties.href.startsWith('#')) return;
    let frag = node.properties.href.slice(1);
    try {
      frag = decodeURIComponent(frag);
    } catch {
      /* a stray `%`: use it as written */
    }
    if (!frag || ids.has(frag)) return;
    const hit = [`${PREFIX}${frag}`, `${PREFIX}${scope}${frag}`].find((c) => ids.has(c));
    const slug = new GithubSlugger().slug(frag);
    // A page's narrative sections are headings of the page template itself (`<h2 id="n-goals">`).
    const section = NARRATIVE_SECTIONS.has(slug) ? `n-${slug.replace(/-/g, '_')}` : null;
    node.properties.href = `#${hit ?? section ?? `${PREFIX}${slug}`}`;
  });
}

/** Ids of entries, pages and notebooks written in text or as inline code become links. */
function mentions(tree: Root, ctx: RenderContext): void {
  const links = ctx.links!;
  const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}._]*-[\p{L}\p{N}._-]*[\p{L}\p{N}]/gu;
  const urlOf = (id: string) => {
    const t = links.table.id(id);
    return t ? links.url(t) : null;
  };
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'code' && parent && index !== undefined && (parent as Element).tagName !== 'pre' && (parent as Element).tagName !== 'a') {
      const url = urlOf(textOf(node).trim());
      if (url) (parent as Element).children[index] = { type: 'element', tagName: 'a', properties: { href: url, className: ['mention'] }, children: [node] };
      return 'skip';
    }
    if (node.tagName === 'a' || node.tagName === 'pre' || node.tagName === 'code' || HEADING.test(node.tagName)) return 'skip';
    if (classes(node).some((c) => c === 'math-inline' || c === 'math-display')) return 'skip';
    const out: ElementContent[] = [];
    let changed = false;
    for (const child of node.children) {
      if (child.type !== 'text') {
        out.push(child);
        continue;
      }
      let last = 0;
      for (const m of child.value.matchAll(TOKEN)) {
        const url = urlOf(m[0]);
        if (!url) continue;
        changed = true;
        if (m.index > last) out.push({ type: 'text', value: child.value.slice(last, m.index) });
        out.push({ type: 'element', tagName: 'a', properties: { href: url, className: ['mention'] }, children: [{ type: 'text', value: m[0] }] });
        last = m.index + m[0].length;
      }
      if (last < child.value.length) out.push(last ? ({ type: 'text', value: child.value.slice(last) } as Text) : child);
    }
    if (changed) node.children = out;
  });
}

/** ```mermaid blocks (Markdown) and `#+begin_src mermaid` (Org). */
function mermaid(tree: Root): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'pre' || !parent || index === undefined) return;
    const code = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
    if (!code || !classes(code).includes('language-mermaid')) return;
    (parent as Element).children[index] = renderMermaid(textOf(code));
    return 'skip';
  });
}
