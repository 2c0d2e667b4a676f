/**
 * The REST API's reads. Each returns the bytes of the static API file of the same record (one
 * serializer: src/site/api.ts) and, for a single record, its file's hash as the `ETag` to send back
 * in `If-Match` when writing.
 */
import type { Entry, Notebook, Page } from '../core/model.ts';
import { type ApiView, apiJson } from '../site/api.ts';
import { parseBody, searchBody } from './bodies.ts';
import type { RequestContext, Route } from './context.ts';
import { badField, HttpError, notFound } from './http-error.ts';
import { readJson, sendJson } from './respond.ts';

/**
 * Sends a record's JSON (`pick` chooses it from the API view) with its file's hash as ETag — the hash
 * of the very bytes the JSON was made from — or 304 when the client's copy is current.
 */
export async function sendRecord(ctx: RequestContext, pick: (view: ApiView) => unknown, sourcePath: string, status = 200): Promise<void> {
  const { view, hash } = await ctx.state.viewWithHash(sourcePath);
  const etag = hash ? `"${hash}"` : undefined;
  if (etag && status === 200 && ctx.req.headers['if-none-match'] === etag) {
    ctx.res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-store' });
    ctx.res.end();
    return;
  }
  sendJson(ctx.res, status, apiJson(pick(view)), etag ? { ETag: etag } : {});
}

interface Kinds {
  notebook: Notebook;
  page: Page;
  entry: Entry;
}

/** The compiled record of `kind` with `id`, or a 404. Refreshes first when its file changed on disk. */
export async function findRecord<K extends keyof Kinds>(ctx: RequestContext, kind: K, id: string): Promise<Kinds[K]> {
  const list = async (): Promise<Kinds[K][]> => {
    const index = (await ctx.state.view()).index;
    return (kind === 'notebook' ? index.notebooks : kind === 'page' ? index.pages : index.entries) as Kinds[K][];
  };
  const found = (await list()).find((r) => r.id === id);
  if (!found) throw notFound(kind, id);
  await ctx.state.refreshIfChanged(found.source.path);
  const fresh = (await list()).find((r) => r.id === id);
  if (!fresh) throw notFound(kind, id);
  return fresh;
}

export const readRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/notebooks',
    handler: async (ctx) => sendJson(ctx.res, 200, apiJson((await ctx.state.view()).notebooks())),
  },
  {
    method: 'GET',
    path: '/api/notebooks/{id}',
    handler: async (ctx) => {
      const record = await findRecord(ctx, 'notebook', ctx.params.id!);
      await sendRecord(ctx, (v) => v.notebook(record.id), record.source.path);
    },
  },
  {
    method: 'GET',
    path: '/api/notebooks/{id}/pages',
    handler: async (ctx) => {
      const record = await findRecord(ctx, 'notebook', ctx.params.id!);
      sendJson(ctx.res, 200, apiJson({ pages: (await ctx.state.view()).notebook(record.id)!.pages }));
    },
  },
  {
    method: 'GET',
    path: '/api/pages/{id}',
    handler: async (ctx) => {
      const record = await findRecord(ctx, 'page', ctx.params.id!);
      await sendRecord(ctx, (v) => v.page(record.id), record.source.path);
    },
  },
  {
    method: 'GET',
    path: '/api/pages/{id}/entries',
    handler: async (ctx) => {
      const record = await findRecord(ctx, 'page', ctx.params.id!);
      sendJson(ctx.res, 200, apiJson({ entries: (await ctx.state.view()).page(record.id)!.entries }));
    },
  },
  {
    method: 'GET',
    path: '/api/entries/{id}',
    handler: async (ctx) => {
      const record = await findRecord(ctx, 'entry', ctx.params.id!);
      await sendRecord(ctx, (v) => v.entry(record.id), record.source.path);
    },
  },
  {
    method: 'GET',
    path: '/api/entries/{id}/lineage',
    handler: async (ctx) => {
      const raw = ctx.url.searchParams.get('depth');
      const depth = raw === null ? Infinity : Number(raw);
      if (!Number.isInteger(depth) && depth !== Infinity) throw badField('depth', 'must be a whole number of at least 1');
      if (depth < 1) throw badField('depth', 'must be a whole number of at least 1');
      const record = await findRecord(ctx, 'entry', ctx.params.id!);
      sendJson(ctx.res, 200, apiJson((await ctx.state.view()).lineage(record.id, depth)));
    },
  },
  {
    method: 'POST',
    path: '/api/search',
    handler: async (ctx) => {
      const body = parseBody(searchBody, await readJson(ctx.req, ctx.limits.json));
      await ctx.state.result();
      const { query, ...filters } = body;
      const hits = await ctx.state.workspace.search(query, { limit: 50, ...filters });
      sendJson(ctx.res, 200, apiJson({ query, hits }));
    },
  },
  {
    method: 'GET',
    path: '/api/runs',
    handler: async (ctx) => {
      const entryId = ctx.url.searchParams.get('entry_id') ?? undefined;
      sendJson(ctx.res, 200, apiJson({ runs: await ctx.runs.list({ entryId }) }));
    },
  },
  {
    method: 'GET',
    path: '/api/runs/{run_id}',
    handler: async (ctx) => {
      const run = await ctx.runs.get(ctx.params.run_id!);
      if (!run) throw new HttpError(404, `no run '${ctx.params.run_id}'`);
      const since = Number(ctx.url.searchParams.get('since') ?? 0);
      if (!Number.isInteger(since) || since < 0) throw badField('since', 'must be a whole number of at least 0');
      sendJson(ctx.res, 200, apiJson({ run: run.summary(), events: run.events.filter((e) => e.seq > since) }));
    },
  },
];
