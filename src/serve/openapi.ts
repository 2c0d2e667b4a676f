/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`. Request bodies come from the zod schemas
 * that validate them (bodies.ts); responses describe the static API's shapes. Contract tests hold
 * every endpoint to this document, and `npm run lint:openapi` lints it with Redocly.
 */
import { z } from 'zod';
import { VERSION } from '../version.ts';
import { executeBody, narrativeBody, newEntryBody, newNotebookBody, newPageBody, notesBody, searchBody, variationBody } from './bodies.ts';

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const nullableStr: Schema = { type: ['string', 'null'] };
const strings: Schema = { type: 'array', items: str };
/** An object with these required properties; others allowed (records carry many fields). */
const record = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  required: Object.keys(required),
  properties: { ...required, ...optional },
});

function bodySchema(schema: z.ZodType): Schema {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Schema;
  return json;
}

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: { ...str, description: 'What is wrong, in one line.' },
      field: { ...str, description: 'The request field at fault.' },
      reason: { ...str, description: "Why it may not happen now: the CLI's words." },
    },
  },
  Notebook: record({ id: str, title: str, slug: str, url: str }, { description: nullableStr, tags: strings, page_ids: strings }),
  NotebookList: record({ notebooks: { type: 'array', items: ref('Notebook') } }),
  PageRef: record({ id: str, title: str, notebook_id: str, url: str, api: str }, { date: nullableStr, status: str }),
  NotebookDetail: record({ notebook: ref('Notebook'), pages: { type: 'array', items: ref('PageRef') } }),
  PageList: record({ pages: { type: 'array', items: ref('PageRef') } }),
  Page: record({ id: str, title: str, notebook_id: str, narrative: { type: 'object' }, entry_ids: strings, url: str }),
  EntrySummary: record(
    { id: str, title: str, type: str, status: str, tags: strings, url: str, api: str },
    { rating: { type: ['integer', 'null'] }, created: nullableStr },
  ),
  PageDetail: record({ page: ref('Page'), entries: { type: 'array', items: ref('EntrySummary') } }),
  EntryList: record({ entries: { type: 'array', items: ref('EntrySummary') } }),
  Artifact: record(
    { name: str, hash: str, type: str, url: nullableStr, thumbnail_url: nullableStr },
    { size_bytes: { type: 'integer' }, width: { type: 'integer' }, height: { type: 'integer' } },
  ),
  Entry: record({
    id: str,
    title: str,
    type: str,
    status: str,
    page_id: str,
    notebook_id: str,
    url: str,
    inputs: { type: 'object' },
    outputs: { type: 'object' },
    metrics: { type: 'object' },
    artifacts: { type: 'array', items: ref('Artifact') },
    metadata: record({ tags: strings }, { notes: str, rating: { type: ['integer', 'null'] } }),
    lineage: record({ parent_id: nullableStr, children_ids: strings, variation_of: nullableStr }),
  }),
  LineageNode: record({ id: str, title: str, type: str, status: str }),
  Lineage: record({
    entry_id: str,
    ancestors: { type: 'array', items: ref('LineageNode') },
    descendants: { type: 'array', items: ref('LineageNode') },
    edges: { type: 'array', items: record({ from: str, to: str, kind: { enum: ['derives_from', 'variation_of'] } }) },
  }),
  SearchResult: record({ query: str, hits: { type: 'array', items: record({ kind: str, id: str, title: str, score: { type: 'number' }, snippet: str }) } }),
  RunStarted: record({ run_id: str, entry_id: str, events: { ...str, description: 'The WebSocket path that streams the run.' } }),
  RunSummary: record({
    run_id: str,
    entry_id: nullableStr,
    path: nullableStr,
    status: { enum: ['running', 'completed', 'failed', 'interrupted'] },
    started_at: nullableStr,
    last_seq: { type: 'integer' },
    source: { enum: ['server', 'log'] },
  }),
  RunList: record({ runs: { type: 'array', items: ref('RunSummary') } }),
  RunEvent: record(
    { seq: { type: 'integer', minimum: 1 }, type: { enum: ['started', 'progress', 'log', 'artifact', 'completed', 'failed', 'interrupted'] } },
    { stream: str, text: str, value: { type: 'number' }, max: { type: 'number' }, message: str, artifact: ref('Artifact'), entry_id: str, run_id: str },
  ),
  RunDetail: record({ run: ref('RunSummary'), events: { type: 'array', items: ref('RunEvent') } }),
  NewNotebook: bodySchema(newNotebookBody),
  NewPage: bodySchema(newPageBody),
  NarrativeEdit: bodySchema(narrativeBody),
  NewEntry: bodySchema(newEntryBody),
  NotesEdit: bodySchema(notesBody),
  NewVariation: bodySchema(variationBody),
  Execute: bodySchema(executeBody),
  Search: bodySchema(searchBody),
};

const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const json = (description: string, schema: string, headers?: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
  ...(headers ? { headers } : {}),
});
const etag = { ETag: { description: 'The record\'s file hash (`"sha256:…"`): send it back in `If-Match` when writing.', schema: str } };
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what}'s id.`, schema: str });
const ifMatch = (required: boolean) => ({
  name: 'If-Match',
  in: 'header',
  required,
  description: 'The ETag of the record as read; a write to a file that changed since is refused with 409.',
  schema: str,
});
const body = (schema: string) => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });
const common = { '401': error('The token is missing or wrong.'), '403': error('Refused: foreign Host or Origin.') };
const read = (id: string, summary: string, ok: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  operationId: id,
  summary,
  ...extra,
  responses: { ...ok, ...common, '404': error('No such record.') },
});
const write = (id: string, summary: string, ok: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  operationId: id,
  summary,
  ...extra,
  responses: {
    ...ok,
    ...common,
    '400': error('A field is invalid; `field` names it.'),
    '404': error('No such record.'),
    '409': error("The file changed since it was read, or the journal refuses (the CLI's reason)."),
    '413': error('The body is too large.'),
  },
});

/** The document, built once per server start. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Codex lab journal — lab serve',
      version: VERSION,
      description:
        'The journal as a REST API over its files: every write is the file write the CLI makes. Reads return the same JSON as the static API files (`/api/…json` of the built site). Run events stream over WebSocket at `/ws/runs/{run_id}?since=SEQ`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:8765', description: 'lab serve (default address)' }],
    security: [{ bearer: [] }, { cookie: [] }],
    tags: [
      { name: 'journal', description: 'Notebooks, pages, entries.' },
      { name: 'runs', description: 'Executing entries and following runs.' },
    ],
    paths: {
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          tags: ['journal'],
          security: [],
          responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } }, '403': common['403'] },
        },
      },
      '/api/notebooks': {
        get: read('listNotebooks', 'All notebooks', { '200': json('Notebooks.', 'NotebookList') }, { tags: ['journal'] }),
        post: write(
          'createNotebook',
          'Create a notebook (`lab new notebook`)',
          { '201': json('The new notebook.', 'NotebookDetail', etag) },
          { tags: ['journal'], requestBody: body('NewNotebook') },
        ),
      },
      '/api/notebooks/{id}': {
        get: read(
          'getNotebook',
          'One notebook with its pages',
          { '200': json('The notebook.', 'NotebookDetail', etag) },
          { tags: ['journal'], parameters: [idParam('notebook')] },
        ),
      },
      '/api/notebooks/{id}/pages': {
        get: read('listPages', "A notebook's pages", { '200': json('Pages.', 'PageList') }, { tags: ['journal'], parameters: [idParam('notebook')] }),
        post: write(
          'createPage',
          'Create a page (`lab new page`)',
          { '201': json('The new page.', 'PageDetail', etag) },
          { tags: ['journal'], parameters: [idParam('notebook')], requestBody: body('NewPage') },
        ),
      },
      '/api/pages/{id}': {
        get: read(
          'getPage',
          'One page with its entries',
          { '200': json('The page.', 'PageDetail', etag) },
          { tags: ['journal'], parameters: [idParam('page')] },
        ),
      },
      '/api/pages/{id}/narrative': {
        patch: write(
          'editNarrative',
          'Replace one narrative section',
          { '200': json('The page.', 'PageDetail', etag), '428': error('`If-Match` is missing.') },
          { tags: ['journal'], parameters: [idParam('page'), ifMatch(true)], requestBody: body('NarrativeEdit') },
        ),
      },
      '/api/pages/{id}/entries': {
        get: read('listEntries', "A page's entries", { '200': json('Entries.', 'EntryList') }, { tags: ['journal'], parameters: [idParam('page')] }),
        post: write(
          'createEntry',
          'Create an entry (`lab new entry`)',
          { '201': json('The new entry.', 'Entry', etag) },
          { tags: ['journal'], parameters: [idParam('page')], requestBody: body('NewEntry') },
        ),
      },
      '/api/entries/{id}': {
        get: read(
          'getEntry',
          'One entry',
          { '200': json('The entry.', 'Entry', etag), '304': { description: 'Unchanged since the ETag in `If-None-Match`.' } },
          { tags: ['journal'], parameters: [idParam('entry')] },
        ),
      },
      '/api/entries/{id}/lineage': {
        get: read(
          'getLineage',
          "An entry's ancestors and descendants",
          { '200': json('Lineage.', 'Lineage'), '400': error('`depth` is invalid.') },
          {
            tags: ['journal'],
            parameters: [
              idParam('entry'),
              { name: 'depth', in: 'query', required: false, description: 'Generations each way (default all).', schema: { type: 'integer', minimum: 1 } },
            ],
          },
        ),
      },
      '/api/entries/{id}/notes': {
        patch: write(
          'editNotes',
          "Replace an entry's notes and/or set its rating",
          { '200': json('The entry.', 'Entry', etag), '428': error('`If-Match` is missing.') },
          { tags: ['journal'], parameters: [idParam('entry'), ifMatch(true)], requestBody: body('NotesEdit') },
        ),
      },
      '/api/entries/{id}/variations': {
        post: write(
          'createVariation',
          'Create a variation (`lab variation`)',
          { '201': json('The new entry.', 'Entry', etag) },
          { tags: ['journal'], parameters: [idParam('entry')], requestBody: body('NewVariation') },
        ),
      },
      '/api/entries/{id}/artifacts': {
        post: write(
          'uploadArtifact',
          'Attach a file to a manual entry (`lab attach`)',
          { '201': json('The entry.', 'Entry', etag) },
          {
            tags: ['journal'],
            parameters: [
              idParam('entry'),
              { name: 'name', in: 'query', required: true, description: 'File name of the artifact.', schema: str },
              ifMatch(false),
            ],
            requestBody: {
              required: true,
              content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
            },
          },
        ),
      },
      '/api/entries/{id}/execute': {
        post: write(
          'executeEntry',
          'Run an entry (`lab run`); follow it on the WebSocket',
          { '202': json('The run started.', 'RunStarted') },
          { tags: ['runs'], parameters: [idParam('entry')], requestBody: { ...body('Execute'), required: false } },
        ),
      },
      '/api/artifacts/{hash}': {
        get: read(
          'getArtifact',
          "An artifact's bytes (or its thumbnail)",
          {
            '200': {
              description: 'The bytes; HTML and SVG as downloads.',
              content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
            },
            '400': error('`hash` is invalid.'),
          },
          {
            tags: ['journal'],
            parameters: [
              { name: 'hash', in: 'path', required: true, description: '`sha256:<hex>` or the hex digest.', schema: str },
              {
                name: 'thumbnail',
                in: 'query',
                required: false,
                description: '`1`: a 400 px WebP thumbnail (raster images).',
                schema: { type: 'string', enum: ['0', '1'] },
              },
            ],
          },
        ),
      },
      '/api/search': {
        post: write(
          'search',
          'Full-text search with filters',
          { '200': json('Hits, best first.', 'SearchResult') },
          { tags: ['journal'], requestBody: body('Search') },
        ),
      },
      '/api/runs': {
        get: read(
          'listRuns',
          'Runs, newest first (started here or by `lab run`)',
          { '200': json('Runs.', 'RunList') },
          {
            tags: ['runs'],
            parameters: [{ name: 'entry_id', in: 'query', required: false, description: 'Only runs of this entry.', schema: str }],
          },
        ),
      },
      '/api/runs/{run_id}': {
        get: read(
          'getRun',
          'A run and its events after `since` (what the WebSocket streams)',
          { '200': json('The run.', 'RunDetail'), '400': error('`since` is invalid.') },
          {
            tags: ['runs'],
            parameters: [
              { name: 'run_id', in: 'path', required: true, description: 'The run id.', schema: str },
              { name: 'since', in: 'query', required: false, description: 'Only events after this seq.', schema: { type: 'integer', minimum: 0 } },
            ],
          },
        ),
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token `lab serve` prints.' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'lab_token_8765', description: 'Set by visiting the printed URL (`lab_token_<port>`).' },
      },
    },
  };
}
