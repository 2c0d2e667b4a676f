/**
 * The sample journal's content collections, written as any Astro project that adds the journal
 * would write them (see astro.config.mjs).
 */
import { journalCollection } from './site/collection.ts';

export const collections = { journal: journalCollection() };
