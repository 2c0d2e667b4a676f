/** Sitemap and Atom feed: absolute URLs from the site origin, escaped text, newest entries first. */
import { expect, test } from 'vitest';
import { atomFeed, sitemapXml } from '../../src/site/feeds.ts';
import type { Journal } from '../../src/site/journal.ts';

const paths = {
  home: () => '/',
  notebook: (id: string) => `/notebooks/${id}/`,
  page: (id: string) => `/pages/${id}/`,
  entry: (id: string) => `/entries/${id}/`,
  tag: (s: string) => `/tags/${s}/`,
};

const entry = (id: string, created: string, title: string) => ({
  id,
  title,
  created,
  page_id: 'page-a',
  type: 'command',
  status: 'completed',
  excerpt: 'Notes & <things>',
  execution: null,
  metadata: { tags: ['cfg'] },
});
const journal = {
  meta: { name: 'Lab <One>', history: { entries: {}, pages: { 'page-a': { last_changed: '2026-10-02T00:00:00Z', commit: 'x' } }, notebooks: {} } },
  notebooks: [{ id: 'nb-a', last_activity: '2026-10-03' }],
  pages: [{ id: 'page-a', last_activity: null }],
  entries: [entry('entry-1', '2026-10-01T10:00:00Z', 'First'), entry('entry-2', '2026-10-05T10:00:00Z', 'Second & last')],
  page: new Map([['page-a', { id: 'page-a', title: 'Page A' }]]),
  tagSlugs: new Map([['cfg', 'cfg']]),
  digests: new WeakMap(),
} as unknown as Journal;

test('sitemap: every view with an absolute URL and its last change', () => {
  const xml = sitemapXml(journal, new URL('https://lab.example.org'), paths);
  expect(xml).toContain('<loc>https://lab.example.org/entries/entry-2/</loc><lastmod>2026-10-05T10:00:00Z</lastmod>');
  expect(xml).toContain('<loc>https://lab.example.org/pages/page-a/</loc><lastmod>2026-10-02T00:00:00Z</lastmod>');
  expect(xml).toContain('<loc>https://lab.example.org/tags/cfg/</loc>');
  expect(xml.match(/<url>/g)).toHaveLength(6);
  // Without an origin there is nothing a sitemap may list.
  expect(sitemapXml(journal, undefined, paths)).not.toContain('<url>');
});

test('Atom feed: newest first, stable ids, escaped text', () => {
  const xml = atomFeed(journal, new URL('https://lab.example.org'), paths);
  expect(xml.indexOf('Second &amp; last')).toBeLessThan(xml.indexOf('<title>First</title>'));
  expect(xml).toContain('<id>tag:codex-lab-journal,2024:entry-2</id>');
  expect(xml).toContain('<link rel="alternate" type="text/html" href="https://lab.example.org/entries/entry-2/"/>');
  expect(xml).toContain('<updated>2026-10-05T10:00:00Z</updated>');
  expect(xml).toContain('<title>Lab &lt;One&gt;: new entries</title>');
  expect(xml).toContain('Notes &amp; &lt;things&gt; On “Page A”.');
  expect(xml).not.toMatch(/<things>/);
});
