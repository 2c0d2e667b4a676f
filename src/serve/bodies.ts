/**
 * Request bodies of the REST API, one zod schema each: they validate requests (a 400 names the
 * field) and are the request schemas of the OpenAPI document (`z.toJSONSchema`).
 */
import { z } from 'zod';
import { NARRATIVE_SECTIONS } from '../core/schema/page.ts';
import { badField } from './http-error.ts';

const tags = z.array(z.string().min(1)).max(50);

/** `POST /api/notebooks`. */
export const newNotebookBody = z.strictObject({
  /** Display title; the folder and id are made from it. */
  title: z.string().min(1).max(200),
  /** One line on what the notebook is for. */
  description: z.string().max(2000).optional(),
  /** Free-form tags. */
  tags: tags.optional(),
  /** A CSS colour, e.g. `#4F46E5`. */
  color: z.string().max(40).optional(),
  /** An emoji or short text shown beside the title. */
  icon: z.string().max(16).optional(),
});

/** `POST /api/notebooks/{id}/pages`. */
export const newPageBody = z.strictObject({
  /** Display title; the folder and id are made from it. */
  title: z.string().min(1).max(200),
  /** The day of the session, `YYYY-MM-DD` (default today). */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like 2024-11-27')
    .optional(),
  /** Text of the `## Goals` section. */
  goal: z.string().max(20000).optional(),
  /** Text of the `## Hypothesis` section. */
  hypothesis: z.string().max(20000).optional(),
  /** Free-form tags. */
  tags: tags.optional(),
});

/** `PATCH /api/pages/{id}/narrative`. */
export const narrativeBody = z.strictObject({
  /** Which section: `goals`, `hypothesis`, `observations`, `conclusions` or `next_steps`. */
  field: z.enum(Object.keys(NARRATIVE_SECTIONS) as [keyof typeof NARRATIVE_SECTIONS, ...(keyof typeof NARRATIVE_SECTIONS)[]]),
  /** The section's new Markdown (its heading stays). */
  content: z.string().max(1_000_000),
});

/** `POST /api/pages/{id}/entries`. */
export const newEntryBody = z.strictObject({
  /** The integration that runs it: `command`, `http`, `sql`, `comfyui`, `jupyter`, `manual` … */
  type: z.string().min(1).max(100),
  /** Display title; the file name is made from it. */
  title: z.string().min(1).max(200),
  /** The integration's inputs (e.g. `command`, `url`, `workflow`). */
  inputs: z.record(z.string(), z.unknown()).optional(),
  /** Named values, written to `inputs.parameters`. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Id of the entry this one derives from. */
  parent: z.string().min(1).optional(),
  /** Free-form tags. */
  tags: tags.optional(),
  /** The entry's notes (Markdown body). */
  notes: z.string().max(1_000_000).optional(),
});

/** `PATCH /api/entries/{id}/notes`: the entry's `metadata` that people write (notes, rating, tags). */
export const notesBody = z.strictObject({
  /** The entry's notes: its whole Markdown body. */
  content: z.string().max(1_000_000).optional(),
  /** 1–5, or null to remove the rating. */
  rating: z.number().int().min(1).max(5).nullable().optional(),
});

/** `POST /api/entries/{id}/variations`. */
export const variationBody = z.strictObject({
  /** Title of the new entry. */
  title: z.string().min(1).max(200),
  /**
   * Deep-merged into the original's inputs as `lab variation --override` does: objects merge key by key,
   * anything else replaces; a top-level key the inputs lack goes to `inputs.parameters` when they have it.
   */
  input_overrides: z.record(z.string(), z.unknown()).optional(),
  /** Tags of the new entry (default: the original's). */
  tags: tags.optional(),
});

/** `POST /api/entries/{id}/execute`. */
export const executeBody = z.strictObject({
  /** Run even if completed (`lab run --force`). */
  force: z.boolean().optional(),
  /** Re-run a completed entry whose inputs changed (`lab run --stale`). */
  stale: z.boolean().optional(),
  /** Stop the run after this many seconds (`lab run --timeout`). */
  timeout_seconds: z
    .number()
    .positive()
    .max(7 * 24 * 3600)
    .optional(),
});

/** `POST /api/search`. */
export const searchBody = z.strictObject({
  /** Words to look for (full text, ranked). */
  query: z.string().max(1000),
  /** Only entries of this type. */
  type: z.string().optional(),
  /** Only records with this tag. */
  tag: z.string().optional(),
  /** Only this notebook (id). */
  notebook: z.string().optional(),
  /** Only records of this page (id). */
  page: z.string().optional(),
  /** Only this kind of record: `notebook`, `page`, `entry` or `session`. */
  kind: z.enum(['notebook', 'page', 'entry', 'session']).optional(),
  /** Dated on or after this day, `YYYY-MM-DD`. */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like 2024-11-27')
    .optional(),
  /** Dated on or before this day, `YYYY-MM-DD`. */
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like 2024-11-27')
    .optional(),
  /** At most this many hits (default 50). */
  limit: z.number().int().min(1).max(500).optional(),
});

/** Parses a body with `schema`; the first problem becomes a 400 naming its field. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = keys.map(String).join('.') || '(body)';
  const message = issue.code === 'unrecognized_keys' ? 'is not a field of this request' : issue.message;
  throw badField(field, message);
}
