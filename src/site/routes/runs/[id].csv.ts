/** `runs/<page or notebook id>.csv`: the runs table with every parameter and metric (src/site/runs.ts). */
import type { APIRoute } from 'astro';
import { cacheKeys } from '../../cache-keys.ts';
import { getJournal } from '../../journal.ts';
import { runsCsv } from '../../runs.ts';
import { runsOf } from '../../runs-views.ts';

export async function getStaticPaths() {
  const journal = await getJournal();
  const keys = await cacheKeys(journal);
  return [...journal.pages.map((p) => p.id), ...journal.notebooks.map((n) => n.id)].map((id) => ({ params: { id }, cacheKey: keys.runsCsv(id) }));
}

export const GET: APIRoute = async ({ params }) => {
  const table = runsOf(await getJournal(), params.id!);
  return new Response(table ? runsCsv(table) : '', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
