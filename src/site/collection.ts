/**
 * The `journal` content collection, for a project's `src/content.config.ts`:
 *
 * ```ts
 * import { journalCollection } from 'codex-lab-journal/astro';
 * export const collections = { journal: journalCollection() };
 * ```
 *
 * Its loader (src/site/loader.ts) calls the compiler; the pages read it through src/site/journal.ts.
 */
import { journalLoader } from './loader.ts';

/** The collection the journal's pages read; it must be registered under the name `journal`. */
export function journalCollection() {
  // `type: 'content_layer'` is what `defineCollection` from `astro:content` would add; written out so
  // this module does not import Astro's virtual modules and loads outside Vite too.
  return { type: 'content_layer' as const, loader: journalLoader() };
}
