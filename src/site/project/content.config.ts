/**
 * The content configuration `lab build|dev|preview` use for a journal that has no Astro project of
 * its own (this folder is their `srcDir`; it holds nothing else, so Astro finds no pages here and
 * every route comes from the journal integration).
 */
import { journalCollection } from '../collection.ts';

export const collections = { journal: journalCollection() };
