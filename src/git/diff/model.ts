/**
 * The shape of `lab diff --format json`: what changed in the journal between
 * two sides (commits or the working tree). Stable data: renderers (text,
 * Markdown) read only this.
 */
import type { ArchivedArtifactRef, ArtifactRef, EntryComparison, ValueChange } from '../entry-compare.ts';

/** One side of the comparison. */
export interface DiffSide {
  /** What the user typed or what was chosen (`main`, `HEAD`, `working tree`). */
  ref: string;
  /** The commit read, or null for the working tree. */
  commit: string | null;
}

/** A problem that kept part of one side from being read. */
export interface DiffProblem {
  side: 'base' | 'head';
  file: string;
  line: number;
  column: number;
  message: string;
}

type ChangeKind = 'added' | 'removed' | 'changed' | 'unreadable';

/** An artifact with the workspace-relative path of its blob in the head (or base) tree. */
export interface DiffArtifact extends ArtifactRef {
  blob_path: string | null;
}

export interface NotebookDiff {
  id: string;
  title: string;
  change: ChangeKind;
  path: string;
  /** Set when the README moved (the notebook folder was renamed). */
  old_path: string | null;
  fields: ValueChange[];
}

/** How one narrative section changed. */
export interface NarrativeChange {
  /** `goals`, `hypothesis`, `observations`, `conclusions`, `next_steps` or `other`. */
  section: string;
  /** The heading as written in pages (`Next Steps`); `Other text` for `other`. */
  heading: string;
  change: 'added' | 'removed' | 'changed';
  /** Lines only in the head version. */
  added: string[];
  /** Lines only in the base version. */
  removed: string[];
}

export interface PageDiff {
  id: string;
  title: string;
  notebook_id: string;
  change: ChangeKind;
  path: string;
  old_path: string | null;
  fields: ValueChange[];
  narrative: NarrativeChange[];
}

/** The entry a new variation is compared with. */
interface Baseline {
  id: string;
  title: string;
  relation: 'variation_of' | 'parent';
  /** Whether the baseline entry itself changed between base and head. */
  changed: boolean;
  /** Parameters, metrics, numeric outputs and rating: baseline → this entry. */
  comparison: EntryComparison;
}

export interface EntryDiff {
  id: string;
  title: string;
  notebook_id: string;
  page_id: string;
  change: ChangeKind;
  /** Entry status at head (at base for removed entries). */
  status: string;
  /** Path at head (at base for removed entries). */
  path: string;
  /** Path at base when the file was renamed or moved. */
  old_path: string | null;
  /** `renamed` within the same page folder, `moved` to another page. */
  move: 'renamed' | 'moved' | null;
  /** Base → head for changed entries; nothing → head for added ones; null for removed/unreadable. */
  comparison: EntryComparison | null;
  /** For new entries with `variation_of` or `parent`: the comparison with that entry. */
  baseline: Baseline | null;
  /** Referenced input files whose content changed. */
  input_files: { path: string; change: 'added' | 'removed' | 'modified' }[];
  /** Artifacts added and removed, with the path of their blob in content/blobs/; archived and restored ones (same artifact, bytes shrunk or back). */
  artifacts: { added: DiffArtifact[]; removed: DiffArtifact[]; archived: ArchivedArtifactRef[]; restored: ArchivedArtifactRef[] };
  /** Why the entry could not be compared (change = unreadable). */
  problem: DiffProblem | null;
}

export interface DiffSummary {
  notebooks: { added: number; removed: number; changed: number };
  pages: { added: number; removed: number; changed: number };
  entries: { added: number; removed: number; changed: number; moved: number; unreadable: number; runs: number; failed_runs: number };
  /** Metric changes (including rating) with a known direction, over changed entries and variations vs their baseline. */
  metrics: { better: number; worse: number };
}

export interface JournalDiff {
  version: 1;
  base: DiffSide;
  head: DiffSide;
  summary: DiffSummary;
  notebooks: NotebookDiff[];
  pages: PageDiff[];
  entries: EntryDiff[];
  /** Errors met while reading either side (the rest of the diff is still produced). */
  problems: DiffProblem[];
  /** How the sides were chosen, when it is not what was asked (e.g. no merge base in a shallow clone). */
  notes: string[];
}
