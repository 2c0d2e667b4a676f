/**
 * One version of an entry, reduced to what the diff and the history compare.
 * Built either from a compiled index record or straight from the file's text
 * (the history walk parses single files without compiling a whole tree).
 */
import type { Entry } from '../core/model.ts';
import type { Artifact } from '../core/schema/entry.ts';
import { splitMarkdown } from '../core/source/frontmatter.ts';
import { splitOrg } from '../core/source/org.ts';
import { isPlainObject } from './values.ts';

export interface EntrySnapshot {
  id: string;
  title: string;
  /** Workspace-relative path of the entry file. */
  path: string;
  status: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  metrics: Record<string, unknown>;
  artifacts: Artifact[];
  execution: Record<string, unknown> | null;
  rating: number | null;
  tags: string[];
  parent: string | null;
  variation_of: string | null;
  /** The body (free notes), trimmed. */
  notes: string;
}

export function snapshotFromIndex(e: Entry): EntrySnapshot {
  return {
    id: e.id,
    title: e.title,
    path: e.source.path,
    status: e.status,
    inputs: e.inputs ?? {},
    outputs: e.outputs ?? {},
    metrics: e.metrics ?? {},
    artifacts: e.artifacts ?? [],
    execution: (e.execution as Record<string, unknown> | null) ?? null,
    rating: e.metadata.rating ?? null,
    tags: e.metadata.tags ?? [],
    parent: e.lineage.parent_id,
    variation_of: e.lineage.variation_of,
    notes: e.metadata.notes ?? '',
  };
}

/** A file that could not be read as an entry: where and why. */
export interface SnapshotProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Reads an entry file's header leniently (no schema validation: history must
 * show old versions written under older rules). Null data → a problem.
 */
export function snapshotFromSource(path: string, text: string): EntrySnapshot | SnapshotProblem {
  const split = path.toLowerCase().endsWith('.org') ? splitOrg(text) : splitMarkdown(text);
  if (split.problems.length || !split.data) {
    const p = split.problems[0];
    return { path, line: p?.line ?? 1, column: p?.column ?? 1, message: p?.message ?? 'no frontmatter' };
  }
  return snapshotFromData(path, split.data, split.body.trim());
}

/** Builds a snapshot from already-parsed frontmatter, tolerating wrong types. */
export function snapshotFromData(path: string, d: Record<string, unknown>, notes: string): EntrySnapshot | SnapshotProblem {
  if (typeof d.id !== 'string' || !d.id) return { path, line: 1, column: 1, message: 'entry has no `id`' };
  const obj = (v: unknown) => (isPlainObject(v) ? v : {});
  return {
    id: d.id,
    title: typeof d.title === 'string' ? d.title : '',
    path,
    status: typeof d.status === 'string' ? d.status : 'created',
    inputs: obj(d.inputs),
    outputs: obj(d.outputs),
    metrics: obj(d.metrics),
    artifacts: Array.isArray(d.artifacts) ? (d.artifacts.filter((a) => isPlainObject(a) && typeof a.name === 'string') as Artifact[]) : [],
    execution: isPlainObject(d.execution) ? d.execution : null,
    rating: typeof d.rating === 'number' ? d.rating : null,
    tags: Array.isArray(d.tags) ? d.tags.map(String) : [],
    parent: typeof d.parent === 'string' ? d.parent : null,
    variation_of: typeof d.variation_of === 'string' ? d.variation_of : null,
    notes,
  };
}

export function isProblem(s: EntrySnapshot | SnapshotProblem): s is SnapshotProblem {
  return !('id' in s);
}
