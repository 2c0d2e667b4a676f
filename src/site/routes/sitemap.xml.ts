/** `sitemap.xml`: every notebook, page, entry and tag (src/site/feeds.ts). */
import type { APIRoute } from 'astro';
import { getJournal, paths } from '../journal.ts';
import { sitemapXml } from '../feeds.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(sitemapXml(await getJournal(), site, paths), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
