/** `feed.xml`: the newest entries as an Atom feed (src/site/feeds.ts). */
import type { APIRoute } from 'astro';
import { atomFeed } from '../feeds.ts';
import { getJournal, paths } from '../journal.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(atomFeed(await getJournal(), site, paths), { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
