/**
 * Deciding what `lab archive` touches — a pure function of the journal, so it can
 * be tested over random reference graphs. Blobs are content-addressed and shared:
 * a blob is touched only when nothing outside the archived set still uses it (any
 * other entry's artifacts or logs, an artifact that stays, a hash named in text).
 */
import { isRasterImage } from '../core/mime.ts';
import type { Artifact } from '../core/schema/entry.ts';
import type { NotebookSettings } from '../core/schema/notebook.ts';
import { type ArchiveStrategy, type Exemptions, resolveAgeDays, resolveStrategy } from './policy.ts';

/** The facts about one entry that archiving looks at. */
export interface PlanEntry {
  id: string;
  notebook_id: string;
  /** When the entry last ran (else was created); null when unknown. */
  date: string | null;
  rating: number | null;
  parent: string | null;
  variation_of: string | null;
  /** The entry's own `archive:` key. */
  archive?: string;
  status: string;
  artifacts: Artifact[];
  /** Log blob hashes (logs are never archived, but they may share a blob with an artifact). */
  logs: (string | null)[];
}

export interface PlanInput {
  entries: PlanEntry[];
  /** Notebook id → its settings. */
  settings: ReadonlyMap<string, NotebookSettings>;
  now: Date;
  /** `--older-than`, in days. */
  olderThanDays?: number;
  /** `--strategy`. */
  strategy?: ArchiveStrategy;
  /** `--notebook`: only entries of this notebook id. */
  notebook?: string;
  exemptions: Exemptions;
  /** Blob hex digests named in source text (notes, narratives): those blobs are in use. */
  textReferences?: ReadonlySet<string>;
}

/** One artifact to archive. */
export interface ArtifactAction {
  entry: string;
  /** Position in the entry's `artifacts`. */
  index: number;
  name: string;
  /** The blob it archives, `sha256:…`. */
  hash: string;
  strategy: ArchiveStrategy;
  type: string;
  size_bytes: number | null;
}

export interface Skip {
  entry: string;
  /** Set when one artifact, not the whole entry, is left alone. */
  artifact?: string;
  reason: string;
}

export interface Plan {
  /** Entries old enough and not exempt. */
  selected: string[];
  actions: ArtifactAction[];
  skipped: Skip[];
}

const DAY = 86_400_000;

/** Whether an artifact of this type can be archived with this strategy. */
function applies(strategy: ArchiveStrategy, type: string): boolean {
  if (strategy === 'thumbnail') return isRasterImage(type);
  if (strategy === 'compress') return type !== 'application/zstd';
  return true;
}

export function planArchive(input: PlanInput): Plan {
  const skipped: Skip[] = [];
  const byId = new Map(input.entries.map((e) => [e.id, e]));
  const cutoffOf = (e: PlanEntry): number | null => {
    const days = resolveAgeDays(input.olderThanDays, input.settings.get(e.notebook_id));
    return days === null ? null : input.now.getTime() - days * DAY;
  };
  const time = (e: PlanEntry) => (e.date ? Date.parse(e.date) : NaN);

  // Entries that a recent entry derives from or varies: kept, so comparisons with them still show images.
  const ancestorsOfRecent = new Map<string, string>();
  if (input.exemptions.keepAncestorsOfRecent) {
    for (const e of input.entries) {
      const cutoff = cutoffOf(e);
      const t = time(e);
      const recent = Number.isNaN(t) || cutoff === null || t >= cutoff;
      if (!recent) continue;
      for (const up of [e.parent, e.variation_of]) if (up && byId.has(up) && !ancestorsOfRecent.has(up)) ancestorsOfRecent.set(up, e.id);
    }
  }

  const selected: PlanEntry[] = [];
  const strategyOf = new Map<string, ArchiveStrategy>();
  for (const e of input.entries) {
    if (input.notebook && e.notebook_id !== input.notebook) continue;
    if (!e.artifacts.length) continue;
    const settings = input.settings.get(e.notebook_id);
    const cutoff = cutoffOf(e);
    const strategy = resolveStrategy(e.archive, input.strategy, settings);
    const t = time(e);
    let reason: string | null = null;
    if (cutoff === null) reason = "no age given: pass --older-than or set the notebook's settings.auto_archive_days";
    else if (Number.isNaN(t)) reason = 'no date (neither execution.completed_at nor created)';
    else if (t >= cutoff)
      continue; // recent: not a candidate, nothing to report
    else if (strategy === 'keep') reason = e.archive === 'keep' ? 'kept: the entry says `archive: keep`' : 'kept: the notebook says `archive_strategy: none`';
    else if (e.status === 'running') reason = 'running';
    else if (input.exemptions.keepRating > 0 && (e.rating ?? 0) >= input.exemptions.keepRating)
      reason = `kept: rated ${e.rating} (≥ ${input.exemptions.keepRating})`;
    else if (ancestorsOfRecent.has(e.id)) reason = `kept: ${ancestorsOfRecent.get(e.id)} (newer than the cut-off) derives from it`;
    if (reason) {
      skipped.push({ entry: e.id, reason });
      continue;
    }
    selected.push(e);
    strategyOf.set(e.id, strategy as ArchiveStrategy);
  }

  // Candidate artifacts; everything else that names a blob keeps it alive.
  const candidates: ArtifactAction[] = [];
  const liveBy = new Map<string, string>();
  const live = (hash: string | null | undefined, by: string) => {
    if (hash && !liveBy.has(hash)) liveBy.set(hash, by);
  };
  const selectedIds = new Set(selected.map((e) => e.id));
  for (const e of input.entries) {
    for (const l of e.logs) live(l, e.id);
    if (!selectedIds.has(e.id)) {
      for (const a of e.artifacts) if (a.archived?.strategy !== 'drop') live(a.hash, e.id);
      continue;
    }
    const strategy = strategyOf.get(e.id)!;
    e.artifacts.forEach((a, index) => {
      const type = a.type ?? 'application/octet-stream';
      if (a.archived) {
        if (a.archived.strategy !== 'drop') live(a.hash, e.id);
        return; // archived already: running again changes nothing
      }
      if (!applies(strategy, type)) {
        skipped.push({ entry: e.id, artifact: a.name, reason: `${strategy} applies to raster images only (${type})` });
        live(a.hash, e.id);
        return;
      }
      candidates.push({ entry: e.id, index, name: a.name, hash: a.hash, strategy, type, size_bytes: a.size_bytes ?? null });
    });
  }
  for (const hex of input.textReferences ?? []) live(`sha256:${hex}`, 'a note that names it');

  const actions: ArtifactAction[] = [];
  for (const c of candidates) {
    const by = liveBy.get(c.hash);
    if (by) skipped.push({ entry: c.entry, artifact: c.name, reason: `blob still used by ${by}` });
    else actions.push(c);
  }
  return { selected: selected.map((e) => e.id), actions, skipped };
}

/** The facts `planArchive` needs, from a compiled entry. */
export function planEntryOf(
  e: {
    id: string;
    notebook_id: string;
    created: string | null;
    status: string;
    artifacts: Artifact[];
    logs: Record<string, string | null>;
    execution: { completed_at?: string; started_at?: string } | null;
    metadata: { rating: number | null };
    lineage: { parent_id: string | null; variation_of: string | null };
  },
  archive?: string,
): PlanEntry {
  return {
    id: e.id,
    notebook_id: e.notebook_id,
    date: e.execution?.completed_at ?? e.execution?.started_at ?? e.created ?? null,
    rating: e.metadata.rating,
    parent: e.lineage.parent_id,
    variation_of: e.lineage.variation_of,
    archive,
    status: e.status,
    artifacts: e.artifacts,
    logs: Object.values(e.logs),
  };
}
