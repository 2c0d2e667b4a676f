/** `POST /api/entries/{id}/execute`: starts a run (what `lab run <entry>` does) and answers with its id at once. */
import { findRecord } from './api-read.ts';
import { executeBody, parseBody } from './bodies.ts';
import type { RequestContext, Route } from './context.ts';
import { readJson, sendJson } from './respond.ts';

/** Starts running an entry; the errors are the CLI's refusals (409). */
export async function startRun(
  ctx: Pick<RequestContext, 'state' | 'runs'> & Partial<RequestContext>,
  entryId: string,
  options: { force?: boolean; stale?: boolean; timeout_seconds?: number },
) {
  const entry = await findRecord(ctx as RequestContext, 'entry', entryId);
  return ctx.runs.start(ctx.state.abs(entry.source.path), { force: options.force, stale: options.stale, timeoutSeconds: options.timeout_seconds });
}

export const executeRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/entries/{id}/execute',
    handler: async (ctx) => {
      const body = parseBody(executeBody, await readJson(ctx.req, ctx.limits.json));
      const run = await startRun(ctx, ctx.params.id!, body);
      sendJson(ctx.res, 202, { run_id: run.id, entry_id: ctx.params.id, events: `/ws/runs/${run.id}` }, { Location: `/api/runs/${run.id}` });
    },
  },
];
