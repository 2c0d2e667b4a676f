import { z } from 'zod';
import { hashSchema, idSchema, mapSchema, tagsSchema, timestampSchema } from './common.ts';

/** Lifecycle of an entry; written by the runner. */
export const entryStatusSchema = z.enum(['created', 'running', 'completed', 'failed', 'interrupted'], {
  error: 'must be one of: created, running, completed, failed, interrupted',
});

/** What `lab archive` records on an artifact it archived, so the original can be described and restored. */
export const artifactArchiveSchema = z.looseObject({
  /** `thumbnail` (a WebP stands in), `compress` (a zstd copy stands in) or `drop` (no bytes kept). */
  strategy: z.enum(['thumbnail', 'compress', 'drop'], { error: 'must be one of: thumbnail, compress, drop' }),
  /** When it was archived (ISO-8601, UTC). */
  at: timestampSchema,
  /** Blob address of the original bytes. */
  original_hash: hashSchema,
  /** Size of the original in bytes. */
  original_size_bytes: z.number().int().nonnegative(),
  /** MIME type of the original. */
  type: z.string().optional(),
  /** Pixel width of the original (images). */
  width: z.number().int().positive().optional(),
  /** Pixel height of the original (images). */
  height: z.number().int().positive().optional(),
  /** A commit whose tree holds the original blob: where `lab archive --restore` reads it back from. */
  commit: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/, { error: 'must be a full git commit id' })
    .optional(),
});

/** One stored output file, content-addressed in `content/blobs/`. */
export const artifactSchema = z.looseObject({
  /** File name shown to people (and used for downloads). */
  name: z.string({ error: 'is required: every artifact needs a `name`' }).min(1),
  /** Blob address, `sha256:<hex>`. */
  hash: hashSchema,
  /** MIME type, e.g. `image/png`. */
  type: z.string().optional(),
  /** Size in bytes. */
  size_bytes: z.number().int().nonnegative().optional(),
  /** Pixel width (images). */
  width: z.number().int().positive().optional(),
  /** Pixel height (images). */
  height: z.number().int().positive().optional(),
  /** Set by `lab archive`: the bytes at `hash` stand in for (or, with `drop`, no longer hold) the original. */
  archived: artifactArchiveSchema.optional(),
});

/** Provenance of the last run; written by the runner. */
export const executionSchema = z.looseObject({
  /** When the run started (ISO-8601, UTC). */
  started_at: timestampSchema.optional(),
  /** When it ended. */
  completed_at: timestampSchema.optional(),
  /** Wall-clock duration. */
  duration_seconds: z.number().nonnegative().optional(),
  /** Process exit code (`command`), when there is one. */
  exit_code: z.number().int().nullable().optional(),
  /** One-line error when the run failed. */
  error: z.string().nullable().optional(),
  /** Hash of the inputs and of every referenced input file's bytes at run time. */
  inputs_hash: hashSchema.optional(),
  /** Repository state at run time. */
  git: z.looseObject({ commit: z.string(), dirty: z.boolean() }).nullable().optional(),
  /** Which runner executed it. */
  runner: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  /** Host name. */
  host: z.string().optional(),
  /** Bytes each log stream printed, for streams whose stored log was cut to its head and tail. */
  log_bytes: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

/** What archiving left behind. */
export const archivedSchema = z.looseObject({
  strategy: z.string(),
  original_hash: hashSchema.optional(),
  original_size_bytes: z.number().int().nonnegative().optional(),
  at: timestampSchema.optional(),
});

/** Frontmatter of an entry file (`…/<page>/entries/<NNN-slug>.md` or `.org`). */
export const entrySchema = z.looseObject({
  /** Unique in the workspace; `lab new` and `lab check --fix` write it. */
  id: idSchema,
  /** Display title; else the first `# heading`, else the file (or folder) name, with a warning. */
  title: z.string({ error: 'must be text; quote it if it looks like a number or a date, e.g. title: "42"' }).min(1, { error: 'cannot be empty' }),
  /** Integration name (`manual`, `command`, `http`, `sql`, `comfyui`, …); defaults from notebook settings. */
  type: z.string({ error: 'must be an integration name such as command, http, sql, comfyui' }).optional(),
  /** When the entry was created. */
  created: timestampSchema.optional(),
  /** Free-form tags. */
  tags: tagsSchema.optional(),
  /** The entry this one derives from. */
  parent: idSchema.optional(),
  /** The entry this one is a variation of (set by `lab variation`). */
  variation_of: idSchema.optional(),
  /** The sweep this entry is a point of; written by `lab sweep`. */
  sweep: idSchema.optional(),
  /** 1 (poor) to 5 (excellent). */
  rating: z
    .number({ error: 'must be a whole number from 1 to 5' })
    .int({ error: 'must be a whole number from 1 to 5' })
    .min(1, { error: 'must be a whole number from 1 to 5' })
    .max(5, { error: 'must be a whole number from 1 to 5' })
    .optional(),
  /** Integration-specific inputs; strings starting `./` or `../` name files next to the entry. */
  inputs: mapSchema.optional(),
  /** Written by the runner. */
  status: entryStatusSchema.optional(),
  /** Written by the runner: provenance of the last run. */
  execution: executionSchema.optional(),
  /** Written by the runner: small structured results. */
  outputs: mapSchema.optional(),
  /** Written by the runner (and the command's metrics file): numbers to compare. */
  metrics: mapSchema.optional(),
  /** Written by the runner: stored output files. */
  artifacts: z.array(artifactSchema, { error: 'must be a list of artifacts' }).optional(),
  /** Written by the runner: log blobs by stream name. */
  logs: z.record(z.string(), hashSchema.nullable()).optional(),
  /** Set when the entry's artifacts were archived. */
  archived: archivedSchema.optional(),
  /** How `lab archive` treats this entry; beats the notebook's `settings.archive_strategy`. `keep` exempts it. */
  archive: z.enum(['keep', 'thumbnail', 'compress', 'drop'], { error: 'must be one of: keep, thumbnail, compress, drop' }).optional(),
  /** Written by `lab import`: where the entry came from (the crate and its node), and values that had no place here. */
  imported: z.looseObject({}).optional(),
});

export type EntryFrontmatter = z.infer<typeof entrySchema>;
export type EntryStatus = z.infer<typeof entryStatusSchema>;
export type Artifact = z.infer<typeof artifactSchema>;
export type ArtifactArchive = z.infer<typeof artifactArchiveSchema>;
export type Execution = z.infer<typeof executionSchema>;

/** Keys the runner owns; everything else belongs to the user. */
export const RUNNER_KEYS = ['status', 'execution', 'outputs', 'metrics', 'artifacts', 'logs'] as const;
export type RunnerKey = (typeof RUNNER_KEYS)[number];

export const ENTRY_KEYS = [
  'id',
  'title',
  'type',
  'created',
  'tags',
  'parent',
  'variation_of',
  'sweep',
  'rating',
  'inputs',
  'status',
  'execution',
  'outputs',
  'metrics',
  'artifacts',
  'logs',
  'archived',
  'archive',
  'imported',
] as const;
