import { z } from 'zod';
import { idSchema, tagsSchema } from './common.ts';

/** Direction of a user metric: used by `lab diff` to mark changes better or worse. */
export const metricDirectionSchema = z.enum(['higher', 'lower'], {
  error: 'must be `higher` or `lower` (which direction is better)',
});

/** Notebook-wide settings. */
export const notebookSettingsSchema = z.looseObject({
  /** Entry `type` used when an entry in this notebook omits it. */
  default_entry_type: z.string().optional(),
  /** Days after which completed entries may be archived. */
  auto_archive_days: z.number().int().nonnegative().optional(),
  /**
   * What `lab archive` does to old artifacts: `thumbnail` keeps a small WebP of each image, `compress` keeps a
   * zstd copy, `drop` (alias `metadata`) keeps only the record; `none` never archives this notebook.
   */
  archive_strategy: z
    .enum(['thumbnail', 'compress', 'drop', 'metadata', 'none'], { error: 'must be one of: thumbnail, compress, drop, metadata, none' })
    .optional(),
  /** Which direction is better for each metric, e.g. `{ loss: lower, accuracy: higher }`. */
  metrics: z.record(z.string(), metricDirectionSchema).optional(),
});

/** Frontmatter of `content/notebooks/<slug>/README.md`. */
export const notebookSchema = z.looseObject({
  /** Display title; else the first `# heading`, else the file (or folder) name, with a warning. */
  title: z.string({ error: 'must be text; quote it if it looks like a number or a date, e.g. title: "42"' }).min(1, { error: 'cannot be empty' }),
  /** Stable id; defaults to `nb-<folder slug>`. */
  id: idSchema.optional(),
  /** One-line description shown on the home page. */
  description: z.string().optional(),
  /** Free-form tags. */
  tags: tagsSchema.optional(),
  /** Accent colour, `#RRGGBB`. */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like "#4F46E5" (quote it: # starts a YAML comment)' })
    .optional(),
  /** An emoji or short text shown next to the title. */
  icon: z.string().max(16, { error: 'should be an emoji or a few characters' }).optional(),
  /** Notebook-wide settings. */
  settings: notebookSettingsSchema.optional(),
  /** Written by `lab import`: the crate the notebook was created from. */
  imported: z.looseObject({}).optional(),
});

export type NotebookFrontmatter = z.infer<typeof notebookSchema>;
export type NotebookSettings = z.infer<typeof notebookSettingsSchema>;
export const NOTEBOOK_KEYS = ['title', 'id', 'description', 'tags', 'color', 'icon', 'settings', 'imported'] as const;
