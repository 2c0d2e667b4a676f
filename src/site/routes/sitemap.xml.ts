/** `sitemap.xml`: every notebook, page, entry and tag (src/site/feeds.ts). */
import type { APIRoute } from 'astro';
import { sitemapXml } from '../feeds.ts';
import { getJournal, paths } from '../journal.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(sitemapXml(await getJournal(), site, paths), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
