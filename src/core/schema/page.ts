import { z } from 'zod';
import { dateSchema, idSchema, tagsSchema } from './common.ts';

/** Where a page (a session or topic) stands. */
export const pageStatusSchema = z.enum(['active', 'completed', 'abandoned'], {
  error: 'must be one of: active, completed, abandoned',
});

/** Frontmatter of `content/notebooks/<nb>/<page>/README.md`. */
export const pageSchema = z.looseObject({
  /** Display title; else the first `# heading`, else the file (or folder) name, with a warning. */
  title: z.string({ error: 'must be text; quote it if it looks like a number or a date, e.g. title: "42"' }).min(1, { error: 'cannot be empty' }),
  /** Stable id; defaults to `page-<notebook folder>-<page folder>` (unique: the whole path below notebooks/). */
  id: idSchema.optional(),
  /** The day of the session, `YYYY-MM-DD`; conceptual pages have none. */
  date: dateSchema.optional(),
  /** Free-form tags. */
  tags: tagsSchema.optional(),
  /** `active` (default), `completed` or `abandoned`. */
  status: pageStatusSchema.optional(),
  /** Written by `lab import`: the crate node the page was created from. */
  imported: z.looseObject({}).optional(),
});

export type PageFrontmatter = z.infer<typeof pageSchema>;
export type PageStatus = z.infer<typeof pageStatusSchema>;
export const PAGE_KEYS = ['title', 'id', 'date', 'tags', 'status', 'imported'] as const;

/** The level-2 sections a page narrative is made of, and their index keys. */
export const NARRATIVE_SECTIONS = {
  goals: 'Goals',
  hypothesis: 'Hypothesis',
  observations: 'Observations',
  conclusions: 'Conclusions',
  next_steps: 'Next Steps',
} as const;
export type NarrativeKey = keyof typeof NARRATIVE_SECTIONS;
