/**
 * Astro content collections. One collection, `journal`, filled by the journal loader
 * (src/site/loader.ts), which calls the compiler; pages read it through src/site/journal.ts.
 * (`type: 'content_layer'` is what `defineCollection` from `astro:content` would add; written
 * out so this file type-checks without Astro's virtual modules.)
 */
import { journalLoader } from './site/loader.ts';

export const collections = {
  journal: { type: 'content_layer' as const, loader: journalLoader() },
};
