/**
 * Frontmatter keys that other tools give a meaning to (Obsidian, Quartz, Hugo/Jekyll-style
 * publishing). A note carrying them is written for that tool, not mistyped for ours: they
 * are kept in the file and not reported as unknown keys.
 */
const FOREIGN_KEYS: ReadonlySet<string> = new Set([
  // Obsidian
  'aliases',
  'alias',
  'cssclasses',
  'cssclass',
  'publish',
  'permalink',
  // Quartz
  'draft',
  'enabletoc',
  'comments',
  'lang',
  'socialimage',
  'socialdescription',
  'lastmod',
  'updated',
  'modified',
  'published',
  // static-site generators and common note templates
  'description',
  'author',
  'authors',
  'slug',
  'summary',
  'keywords',
  'categories',
  'category',
  'weight',
  'layout',
  'source',
  'url',
  'status_note',
]);

/** Whether an unknown frontmatter key is another tool's (and so not worth a warning). */
export function isForeignKey(key: string): boolean {
  return FOREIGN_KEYS.has(key.toLowerCase());
}
