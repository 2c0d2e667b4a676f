/**
 * Finishing touches on sanitized journal HTML (the output of src/site/markdown.ts), made once when
 * the loader stores a record: GFM's `align` attributes (obsolete in HTML) become classes, tables
 * scroll inside their own keyboard-reachable container instead of widening the page on a phone,
 * code blocks can be scrolled from the keyboard, and headings that have an id get a permalink. Works on the serialized HTML, whose shape the
 * sanitizer fixes (quoted attributes, no raw `<` inside attribute values).
 */

/** Applies every finishing touch; `label` names the tables' scroll regions ("Table in Notes"). */
export function polishHtml(html: string, label = 'Table'): string {
  if (!html) return html;
  return headingPermalinks(scrollTables(alignToClass(focusablePre(html)), label));
}

/** A code block that scrolls must be reachable by keyboard: `<pre>` gets `tabindex="0"`. */
function focusablePre(html: string): string {
  return html.includes('<pre') ? html.replace(/<pre(?=[\s>])(?![^>]*\stabindex=)/g, '<pre tabindex="0"') : html;
}

/** `<td align="right">` → `<td class="align-right">`. */
function alignToClass(html: string): string {
  if (!html.includes(' align="')) return html;
  return html.replace(/<(th|td)((?:\s[^>]*)?)\salign="(left|right|center)"([^>]*)>/g, (_m, tag: string, before: string, align: string, after: string) => {
    const attrs = `${before}${after}`;
    if (/\sclass="/.test(attrs)) return `<${tag}${attrs.replace(/\sclass="([^"]*)"/, ` class="$1 align-${align}"`)}>`;
    return `<${tag}${attrs} class="align-${align}">`;
  });
}

/** Wraps each top-level `<table>` in a focusable, labelled scroll region. */
function scrollTables(html: string, label: string): string {
  if (!html.includes('<table')) return html;
  const safe = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  let depth = 0;
  return html.replace(/<table\b[^>]*>|<\/table>/g, (tag) => {
    if (tag.startsWith('</')) {
      depth--;
      return depth === 0 ? '</table></div>' : tag;
    }
    depth++;
    return depth === 1 ? `<div class="table-wrap prose-table" role="region" aria-label="${safe}" tabindex="0">${tag}` : tag;
  });
}

/** Appends `<a class="permalink" href="#id">` to h2–h4 headings that carry an id. */
function headingPermalinks(html: string): string {
  return html.replace(/<(h[2-4])\s([^>]*\bid="([^"]+)"[^>]*)>([\s\S]*?)<\/\1>/g, (m, tag: string, attrs: string, id: string, inner: string) =>
    // Headings the note renderer already gave an anchor (render/finish.ts) keep that one.
    /class="(?:heading-anchor|permalink)"/.test(inner)
      ? m
      : `<${tag} ${attrs}>${inner}<a class="permalink" href="#${id}"><span class="visually-hidden">Link to this section</span><span aria-hidden="true">#</span></a></${tag}>`,
  );
}
