/**
 * Org → hast as Org's HTML export shows it, on top of uniorg-rehype: planning lines
 * (SCHEDULED/DEADLINE/CLOSED), checkbox state, the file's own `#+TODO` keywords,
 * `_underline_`, CUSTOM_ID anchors, and `id:`/`file:` links resolved to the journal.
 */
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent } from 'hast';
import type { Handlers } from 'uniorg-rehype/lib/org-to-hast.js';
import type { RenderContext } from './context.ts';

type OrgNode = { type: string; [key: string]: unknown };

/**
 * Expands `{{{name(args)}}}` with the file's `#+MACRO:` definitions (`$1`… are the
 * arguments), outside blocks, as Org's export does. Unknown macros stay as written.
 */
export function expandMacros(text: string): string {
  const macros = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*#\+MACRO:[ \t]+(\S+)[ \t]?(.*)$/gim)) macros.set(m[1]!.toLowerCase(), m[2]!);
  if (!macros.size || !text.includes('{{{')) return text;
  let inBlock = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*#\+begin_/i.test(line)) inBlock = true;
      else if (/^\s*#\+end_/i.test(line)) inBlock = false;
      if (inBlock || !line.includes('{{{')) return line;
      return line.replace(/\{\{\{([\w-]+)(?:\(([\s\S]*?)\))?\}\}\}/g, (all, name: string, args: string | undefined) => {
        const body = macros.get(name.toLowerCase());
        if (body === undefined) return all;
        const values = args === undefined ? [] : args.split(/(?<!\\),/).map((a) => a.trim().replace(/\\,/g, ','));
        return body.replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1] ?? '');
      });
    })
    .join('\n');
}

const el = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({ type: 'element', tagName, properties, children });
const txt = (value: string): ElementContent => ({ type: 'text', value });

/** `<2024-07-16 Tue 10:30>` → `2024-07-16T10:30` for `<time datetime>`. */
function isoOf(ts: { start?: { year: number; month: number; day: number; hour: number | null; minute: number | null } }): string | undefined {
  const s = ts.start;
  if (!s) return undefined;
  const d = `${s.year}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`;
  return s.hour !== null ? `${d}T${String(s.hour).padStart(2, '0')}:${String(s.minute ?? 0).padStart(2, '0')}` : d;
}

/** Adds `id` from CUSTOM_ID (or the headline's `:ID:`) to headlines, so `[[#custom]]` and `[[id:…]]` land on them. */
export function orgAnchors(tree: OrgNode, localIds: Set<string>): void {
  const walk = (node: OrgNode) => {
    const children = (node.children as OrgNode[] | undefined) ?? [];
    if (node.type === 'section') {
      const headline = children[0];
      const drawer = children.find((c) => c.type === 'property-drawer');
      const props = new Map(((drawer?.children as OrgNode[] | undefined) ?? []).map((p) => [String(p.key).toUpperCase(), String(p.value ?? '').trim()]));
      const id = props.get('CUSTOM_ID') || props.get('ID');
      if (headline && id) {
        headline.data = { hProperties: { id } };
        if (props.get('ID')) localIds.add(props.get('ID')!);
      }
    }
    children.forEach(walk);
  };
  walk(tree);
}

export function orgHandlers(ctx: RenderContext, done: Set<string>, localIds: Set<string>): Handlers {
  return {
    headline(org) {
      const parts: ElementContent[] = [];
      if (org.todoKeyword) {
        parts.push(el('span', { className: ['todo-keyword', done.has(org.todoKeyword) ? 'done' : 'todo'] }, [txt(org.todoKeyword)]), txt(' '));
      }
      if (org.priority) parts.push(el('span', { className: ['priority'] }, [txt(`[#${org.priority}]`)]), txt(' '));
      parts.push(...(this.toHast(org.children, org) as ElementContent[]));
      if (org.tags.length) {
        parts.push(
          txt(' '),
          el(
            'span',
            { className: ['tags'] },
            org.tags.flatMap((t, i) => {
              const url = ctx.links?.tagUrl(t);
              return [...(i ? [txt(' ')] : []), url ? el('a', { className: ['tag'], href: url }, [txt(t)]) : el('span', { className: ['tag'] }, [txt(t)])];
            }),
          ),
        );
      }
      return this.h(org, `h${Math.min(org.level, 6)}`, {}, parts) as Element;
    },
    planning(org) {
      const items: ElementContent[] = [];
      for (const [key, label] of [
        ['closed', 'CLOSED'],
        ['scheduled', 'SCHEDULED'],
        ['deadline', 'DEADLINE'],
      ] as const) {
        const ts = org[key] as { rawValue: string; start?: never } | null;
        if (!ts) continue;
        if (items.length) items.push(txt(' '));
        items.push(el('span', { className: ['planning-keyword'] }, [txt(`${label}:`)]), txt(' '), el('time', { dateTime: isoOf(ts) }, [txt(ts.rawValue)]));
      }
      return items.length ? el('p', { className: ['planning'] }, items) : [];
    },
    timestamp(org) {
      return el('time', { dateTime: isoOf(org as never), className: ['timestamp'] }, [txt(org.rawValue)]);
    },
    underline(org) {
      return el('u', {}, this.toHast(org.children, org) as ElementContent[]);
    },
    'list-item'(org) {
      if (!org.checkbox || (org as { tag?: unknown }).tag) return null;
      const box: ElementContent =
        org.checkbox === 'trans'
          ? el('span', { className: ['checkbox-partial'], title: 'partly done' }, [txt('[-]')])
          : el('input', { type: 'checkbox', disabled: true, checked: org.checkbox === 'on' }, []);
      return el('li', { className: ['task-list-item'] }, [box, txt(' '), ...(this.toHast(org.children, org) as ElementContent[])]);
    },
    link(org) {
      const label = (): ElementContent[] => (org.children.length ? (this.toHast(org.children, org) as ElementContent[]) : [txt(org.rawLink)]);
      const links = ctx.links;
      const from = ctx.sourcePath ?? '';
      if (org.linkType === 'id') {
        const [id, search] = org.path.split('::');
        if (localIds.has(id!)) return el('a', { href: `#${id}` }, label());
        const target = links?.table.id(id!);
        const url = target && links!.url(target, search?.replace(/^\*/, '') || null);
        return url
          ? el('a', { href: url }, label())
          : el('span', { className: ['wikilink', 'wikilink-missing'], title: `no entry, page or notebook has id ${id}` }, label());
      }
      if (org.linkType === 'file') {
        const [file, search] = org.path.split('::');
        const rel = path.posix.normalize(path.posix.join(path.posix.dirname(from), file!));
        const url = links?.fileUrl(rel);
        if (!url) return null;
        if (!org.children.length && /\.(png|jpe?g|gif|webp|svg|avif)$/i.test(file!)) return el('img', { src: url, alt: path.posix.basename(file!) }, []);
        const anchor = search?.startsWith('#') ? `#${search.slice(1)}` : '';
        return el('a', { href: url + anchor }, label());
      }
      if (org.linkType === 'custom-id') return el('a', { href: `#${org.path.replace(/^#/, '')}` }, label());
      if (org.linkType === 'fuzzy' && org.path.startsWith('*')) {
        return el('a', { href: `#${new GithubSlugger().slug(org.path.slice(1).trim())}` }, label());
      }
      return null;
    },
  };
}

/** Org's footnotes under one "Footnotes" heading (the level is fitted to the page later). */
export function orgFootnotesSection(footnotes: unknown[]): unknown[] {
  return [el('section', { className: ['footnotes'] }, [el('h2', { id: 'footnote-label' }, [txt('Footnotes')]), ...(footnotes as ElementContent[])])];
}
