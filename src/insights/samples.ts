/**
 * Which entries count as evidence. A stale entry's metrics were produced by
 * inputs it no longer has, and a failed or interrupted run's numbers are
 * partial, so both are left out of the statistics (the summary names them).
 */
import type { Entry } from '../core/model.ts';
import { type EntryParams, entryOutcomes, entryParams } from './features.ts';

/** An entry reduced to what the statistics read. */
export interface Sample {
  id: string;
  title: string;
  parent_id: string | null;
  variation_of: string | null;
  params: EntryParams;
  outcomes: Map<string, number>;
}

/** Entries whose numbers can be trusted as outcomes of their current inputs. */
export function isEvidence(entry: Entry): boolean {
  return !entry.stale && !['failed', 'interrupted', 'running'].includes(entry.status);
}

function toSample(entry: Entry): Sample {
  return {
    id: entry.id,
    title: entry.title,
    parent_id: entry.lineage?.parent_id ?? null,
    variation_of: entry.lineage?.variation_of ?? null,
    params: entryParams(entry),
    outcomes: entryOutcomes(entry),
  };
}

/** Samples of the evidence entries, sorted by id (so every later step is order-independent). */
export function samplesOf(entries: readonly Entry[]): Sample[] {
  return entries
    .filter(isEvidence)
    .map(toSample)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
