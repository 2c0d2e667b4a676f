/**
 * The sitemap (`sitemap.xml`) and the Atom feed of entries (`feed.xml`), as XML strings built from
 * the journal. Both need absolute URLs: the sitemap lists nothing without the site's origin
 * (`LAB_SITE` or `site` in lab.config.yaml); the feed then falls back to base-relative links,
 * which feed readers resolve against the feed's own URL.
 */
import type { Journal } from './journal.ts';

/** The site's URL helpers (`paths` in src/site/journal.ts), passed in so this module stays plain. */
export interface FeedLinks {
  home(): string;
  notebook(id: string): string;
  page(id: string): string;
  entry(id: string): string;
  tag(slug: string): string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);
const FEED_ENTRIES = 50;

function absolute(site: URL | undefined, path: string): string {
  return site ? new URL(path, site).href : path;
}

/** Every notebook, page, entry and tag page, with its last change when known. */
export function sitemapXml(journal: Journal, site: URL | undefined, paths: FeedLinks): string {
  const home = paths.home();
  const urls: { loc: string; lastmod?: string | null }[] = [];
  if (site) {
    urls.push({ loc: absolute(site, home) });
    for (const n of journal.notebooks)
      urls.push({ loc: absolute(site, paths.notebook(n.id)), lastmod: journal.meta.history.notebooks[n.id]?.last_changed ?? n.last_activity });
    for (const p of journal.pages)
      urls.push({ loc: absolute(site, paths.page(p.id)), lastmod: journal.meta.history.pages[p.id]?.last_changed ?? p.last_activity });
    for (const e of journal.entries)
      urls.push({ loc: absolute(site, paths.entry(e.id)), lastmod: journal.meta.history.entries[e.id]?.[0]?.date ?? e.execution?.completed_at ?? e.created });
    for (const slug of [...journal.tagSlugs.values()].sort()) urls.push({ loc: absolute(site, paths.tag(slug)) });
  }
  const body = urls.map((u) => `  <url><loc>${xml(u.loc)}</loc>${u.lastmod ? `<lastmod>${xml(u.lastmod)}</lastmod>` : ''}</url>`).join('\n');
  const note = site ? '' : '\n  <!-- No site origin configured (LAB_SITE or `site` in lab.config.yaml): a sitemap needs absolute URLs. -->';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${note}\n${body}${body ? '\n' : ''}</urlset>\n`;
}

/** The newest entries as an Atom feed; ids are stable tag URIs made from the entry ids. */
export function atomFeed(journal: Journal, site: URL | undefined, paths: FeedLinks): string {
  const home = paths.home();
  const newest = [...journal.entries].reverse().slice(0, FEED_ENTRIES);
  const updated =
    newest
      .map((e) => e.execution?.completed_at ?? e.created ?? '')
      .filter(Boolean)
      .sort()
      .pop() ?? '1970-01-01T00:00:00Z';
  const name = journal.meta.name;
  const items = newest.map((e) => {
    const page = journal.page.get(e.page_id);
    const link = absolute(site, paths.entry(e.id));
    const when = e.execution?.completed_at ?? e.created ?? updated;
    const summary = [e.excerpt, page ? `On “${page.title}”.` : '', `${e.type} · ${e.status}`].filter(Boolean).join(' ');
    return [
      '  <entry>',
      `    <id>tag:codex-lab-journal,2024:${xml(e.id)}</id>`,
      `    <title>${xml(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xml(link)}"/>`,
      `    <published>${xml(e.created ?? when)}</published>`,
      `    <updated>${xml(when)}</updated>`,
      ...e.metadata.tags.map((t) => `    <category term="${xml(t)}"/>`),
      `    <summary>${xml(summary)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>tag:codex-lab-journal,2024:${xml(name)}</id>`,
    `  <title>${xml(name)}: new entries</title>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <link rel="alternate" type="text/html" href="${xml(absolute(site, home))}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(absolute(site, `${home}feed.xml`))}"/>`,
    `  <author><name>${xml(name)}</name></author>`,
    `  <generator>Codex lab journal</generator>`,
    ...items,
    '</feed>',
    '',
  ].join('\n');
}
