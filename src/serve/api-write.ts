/**
 * The REST API's writes: each is the SDK call the CLI makes (`lab new …`, `lab variation`) or, for
 * edits the CLI has no command for (narrative sections, notes, rating), the same kind of write —
 * atomic, and refused with 409 when the file is no longer the one the client read (`If-Match`).
 */
import { promises as fs } from 'node:fs';
import { replaceBody, replaceNarrativeSection, setRating } from '../core/edit-source.ts';
import { replaceFileIfUnchanged } from '../core/fs/atomic.ts';
import { sha256 } from '../core/hash.ts';
import { knownIntegrationTypes } from '../runners/registry.ts';
import { EntryHandle, NotebookHandle, PageHandle } from '../sdk/workspace.ts';
import { findRecord, sendRecord } from './api-read.ts';
import { narrativeBody, newEntryBody, newNotebookBody, newPageBody, notesBody, parseBody, variationBody } from './bodies.ts';
import type { RequestContext, Route } from './context.ts';
import { badField, HttpError } from './http-error.ts';
import { readJson } from './respond.ts';

/** The hash in `If-Match` (quotes and `W/` ignored); `required` makes a missing header a 428. */
function ifMatch(ctx: RequestContext, required: boolean): string | null {
  const raw = ctx.req.headers['if-match'];
  if (!raw) {
    if (required)
      throw new HttpError(428, '`If-Match` is required: send the ETag of the record you read, so an edit made meanwhile is not overwritten', {
        field: 'If-Match',
      });
    return null;
  }
  return raw.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Reads a source file for an edit: 409 when it is not the version the client read. The returned text is
 * what `replaceFileIfUnchanged` compares against, so an edit landing between this read and the write
 * is refused too.
 */
async function readForEdit(ctx: RequestContext, relPath: string, expected: string | null): Promise<string> {
  const text = await fs.readFile(ctx.state.abs(relPath), 'utf8').catch(() => null);
  if (text === null) throw new HttpError(404, `${relPath} no longer exists`);
  if (expected !== null && sha256(text) !== expected) {
    const reason = `${relPath} changed since you read it (it was edited meanwhile); reload it and apply your change again`;
    throw new HttpError(409, reason, { reason });
  }
  return text;
}

async function writeEdit(ctx: RequestContext, relPath: string, before: string, after: string): Promise<void> {
  if (after === before) return;
  if (!(await replaceFileIfUnchanged(ctx.state.abs(relPath), before, after))) {
    const reason = `${relPath} changed on disk while it was being written; nothing was written`;
    throw new HttpError(409, reason, { reason });
  }
  ctx.state.invalidate();
}

/** Runs a write alone, after bringing the workspace up to date with the files. */
async function mutate<T>(ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  await ctx.state.result();
  try {
    return await ctx.state.exclusive(fn);
  } finally {
    ctx.state.invalidate();
  }
}

export const writeRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/notebooks',
    handler: async (ctx) => {
      const { title, ...rest } = parseBody(newNotebookBody, await readJson(ctx.req, ctx.limits.json));
      const nb = await mutate(ctx, () => ctx.state.workspace.createNotebook(title, rest));
      await sendRecord(ctx, (v) => v.notebook(nb.record.id), nb.record.source.path, 201);
    },
  },
  {
    method: 'POST',
    path: '/api/notebooks/{id}/pages',
    handler: async (ctx) => {
      const body = parseBody(newPageBody, await readJson(ctx.req, ctx.limits.json));
      const notebook = await findRecord(ctx, 'notebook', ctx.params.id!);
      const { title, ...rest } = body;
      const page = await mutate(ctx, () => new NotebookHandle(ctx.state.workspace, notebook).createPage(title, rest));
      await sendRecord(ctx, (v) => v.page(page.record.id), page.record.source.path, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/api/pages/{id}/narrative',
    handler: async (ctx) => {
      const body = parseBody(narrativeBody, await readJson(ctx.req, ctx.limits.json));
      const expected = ifMatch(ctx, true);
      const page = await findRecord(ctx, 'page', ctx.params.id!);
      if (page.source.format !== 'md')
        throw new HttpError(409, `${page.source.path}: narrative sections of Org pages are edited in the file`, { reason: 'org page' });
      await mutate(ctx, async () => {
        const before = await readForEdit(ctx, page.source.path, expected);
        await writeEdit(ctx, page.source.path, before, replaceNarrativeSection(before, body.field, body.content));
      });
      await sendRecord(ctx, (v) => v.page(page.id), page.source.path);
    },
  },
  {
    method: 'POST',
    path: '/api/pages/{id}/entries',
    handler: async (ctx) => {
      const body = parseBody(newEntryBody, await readJson(ctx.req, ctx.limits.json));
      const known = knownIntegrationTypes();
      if (!known.has(body.type)) throw badField('type', `unknown entry type '${body.type}' (one of: ${[...known].sort().join(', ')})`);
      const page = await findRecord(ctx, 'page', ctx.params.id!);
      const index = (await ctx.state.view()).index;
      if (body.parent && !index.entries.some((e) => e.id === body.parent)) throw badField('parent', `no entry '${body.parent}'`);
      const entry = await mutate(ctx, () =>
        new PageHandle(ctx.state.workspace, page).createEntry(body.type, {
          title: body.title,
          inputs: body.inputs,
          params: body.parameters,
          parent: body.parent,
          tags: body.tags,
          notes: body.notes,
        }),
      );
      await sendRecord(ctx, (v) => v.entry(entry.record.id), entry.record.source.path, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/api/entries/{id}/notes',
    handler: async (ctx) => {
      const body = parseBody(notesBody, await readJson(ctx.req, ctx.limits.json));
      if (body.content === undefined && body.rating === undefined) throw badField('content', 'send `content`, `rating` or both');
      const expected = ifMatch(ctx, true);
      const entry = await findRecord(ctx, 'entry', ctx.params.id!);
      await mutate(ctx, async () => {
        const before = await readForEdit(ctx, entry.source.path, expected);
        if (/^status:\s*running\s*$/m.test(before) || /^#\+status:\s*running\s*$/im.test(before)) {
          const reason = `${entry.source.path} is running; edit it when the run has ended (its results are written into this file)`;
          throw new HttpError(409, reason, { reason });
        }
        let after = before;
        if (body.content !== undefined) after = replaceBody(after, entry.source.format, body.content);
        if (body.rating !== undefined) after = setRating(after, entry.source.format, body.rating);
        await writeEdit(ctx, entry.source.path, before, after);
      });
      await sendRecord(ctx, (v) => v.entry(entry.id), entry.source.path);
    },
  },
  {
    method: 'POST',
    path: '/api/entries/{id}/variations',
    handler: async (ctx) => {
      const body = parseBody(variationBody, await readJson(ctx.req, ctx.limits.json));
      const original = await findRecord(ctx, 'entry', ctx.params.id!);
      const v = await mutate(ctx, () =>
        new EntryHandle(ctx.state.workspace, original).createVariation({ title: body.title, inputOverrides: body.input_overrides, tags: body.tags }),
      );
      await sendRecord(ctx, (view) => view.entry(v.record.id), v.record.source.path, 201);
    },
  },
];
