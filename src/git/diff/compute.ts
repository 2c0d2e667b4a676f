/**
 * Computes the journal diff from two compiled sides. Records are matched by id,
 * so renames and moves are recognised; a new variation is compared with the
 * entry it varies even when that entry did not change.
 */
import type { Diagnostic } from '../../core/diagnostics.ts';
import type { Entry, JournalIndex, Notebook, Page } from '../../core/model.ts';
import { NARRATIVE_SECTIONS } from '../../core/schema/page.ts';
import { type ArtifactRef, changedValues, compareEntries, type EntryComparison, isEmptyComparison } from '../entry-compare.ts';
import { snapshotFromIndex } from '../entry-snapshot.ts';
import { compareStrings, type Direction } from '../values.ts';
import { lineDiff } from './lines.ts';
import type { DiffArtifact, DiffProblem, DiffSide, DiffSummary, EntryDiff, JournalDiff, NarrativeChange, NotebookDiff, PageDiff } from './model.ts';

/** One compiled side of the comparison. */
export interface DiffInput {
  side: DiffSide;
  index: JournalIndex;
  diagnostics: Diagnostic[];
  /** Workspace-relative path → content id (git blob oid) of every file under content/. */
  files: Map<string, string>;
}

export function computeDiff(base: DiffInput, head: DiffInput): JournalDiff {
  const problems = [...toProblems(base, 'base'), ...toProblems(head, 'head')];
  const notebooks = diffNotebooks(base.index, head.index);
  const pages = diffPages(base.index, head.index);
  const entries = diffEntries(base, head, problems);
  return {
    version: 1,
    base: base.side,
    head: head.side,
    summary: summarize(notebooks, pages, entries),
    notebooks,
    pages,
    entries,
    problems,
    notes: [],
  };
}

function toProblems(input: DiffInput, side: 'base' | 'head'): DiffProblem[] {
  return input.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ side, file: d.file, line: d.line, column: d.column, message: d.message }));
}

function diffNotebooks(a: JournalIndex, b: JournalIndex): NotebookDiff[] {
  return matchById(a.notebooks, b.notebooks).flatMap(([x, y]): NotebookDiff[] => {
    const rec = (y ?? x)!;
    if (!x || !y) {
      return [{ id: rec.id, title: rec.title, change: x ? 'removed' : 'added', path: rec.source.path, old_path: null, fields: [] }];
    }
    const fields = changedValues(notebookFields(x), notebookFields(y));
    const oldPath = x.source.path !== y.source.path ? x.source.path : null;
    if (!fields.length && !oldPath) return [];
    return [{ id: y.id, title: y.title, change: 'changed', path: y.source.path, old_path: oldPath, fields }];
  });
}

function notebookFields(n: Notebook): Record<string, unknown> {
  return { title: n.title, description: n.description, tags: n.tags, color: n.color, icon: n.icon, settings: n.settings, overview: n.overview };
}

function diffPages(a: JournalIndex, b: JournalIndex): PageDiff[] {
  return matchById(a.pages, b.pages).flatMap(([x, y]): PageDiff[] => {
    const rec = (y ?? x)!;
    if (!x || !y) {
      return [
        {
          id: rec.id,
          title: rec.title,
          notebook_id: rec.notebook_id,
          change: x ? 'removed' : 'added',
          path: rec.source.path,
          old_path: null,
          fields: [],
          narrative: y ? narrativeChanges(null, y) : [],
        },
      ];
    }
    const fields = changedValues(pageFields(x), pageFields(y));
    const narrative = narrativeChanges(x, y);
    const oldPath = x.source.path !== y.source.path ? x.source.path : null;
    if (!fields.length && !narrative.length && !oldPath) return [];
    return [{ id: y.id, title: y.title, notebook_id: y.notebook_id, change: 'changed', path: y.source.path, old_path: oldPath, fields, narrative }];
  });
}

function pageFields(p: Page): Record<string, unknown> {
  return { title: p.title, date: p.date, status: p.status, tags: p.tags, notebook_id: p.notebook_id };
}

const SECTIONS: [string, string][] = [...Object.entries(NARRATIVE_SECTIONS), ['other', 'Other text']];

function narrativeChanges(a: Page | null, b: Page): NarrativeChange[] {
  const out: NarrativeChange[] = [];
  for (const [key, heading] of SECTIONS) {
    const before = (a?.narrative as Record<string, string | null> | undefined)?.[key]?.trim() || '';
    const after = (b.narrative as Record<string, string | null>)[key]?.trim() || '';
    if (before === after) continue;
    const { added, removed } = lineDiff(before, after);
    if (!added.length && !removed.length) continue;
    out.push({ section: key, heading, change: !before ? 'added' : !after ? 'removed' : 'changed', added, removed });
  }
  return out;
}

function diffEntries(base: DiffInput, head: DiffInput, problems: DiffProblem[]): EntryDiff[] {
  const baseById = new Map(base.index.entries.map((e) => [e.id, e]));
  const headById = new Map(head.index.entries.map((e) => [e.id, e]));
  const directions = (index: JournalIndex) => {
    const map = new Map<string, Record<string, Direction> | undefined>();
    for (const n of index.notebooks) map.set(n.id, n.settings?.metrics as Record<string, Direction> | undefined);
    return map;
  };
  const headDirections = directions(head.index);
  const baseDirections = directions(base.index);
  const out: EntryDiff[] = [];

  for (const [x, y] of matchById(base.index.entries, head.index.entries)) {
    if (x && y) {
      const comparison = compareEntries(snapshotFromIndex(x), snapshotFromIndex(y), headDirections.get(y.notebook_id));
      const inputFiles = inputFileChanges(x, y, base.files, head.files);
      const move = x.source.path === y.source.path ? null : dirOf(x.source.path) === dirOf(y.source.path) ? 'renamed' : 'moved';
      if (isEmptyComparison(comparison) && !inputFiles.length && !move) continue;
      out.push(
        entryDiff(y, 'changed', comparison, head.files, base.files, {
          old_path: move ? x.source.path : null,
          move,
          input_files: inputFiles,
        }),
      );
    } else if (y) {
      const problem = unreadableAt(y, problems, 'base');
      if (problem) out.push(entryDiff(y, 'unreadable', null, head.files, base.files, { problem }));
      else out.push(entryDiff(y, 'added', compareEntries(null, snapshotFromIndex(y), headDirections.get(y.notebook_id)), head.files, base.files));
    } else if (x) {
      const problem = unreadableAt(x, problems, 'head');
      out.push(entryDiff(x, problem ? 'unreadable' : 'removed', null, head.files, base.files, { problem }));
    }
  }

  const listed = new Set(out.map((d) => d.id));
  for (const d of out) {
    if (d.change !== 'added') continue;
    const y = headById.get(d.id)!;
    const relation = y.lineage.variation_of ? 'variation_of' : y.lineage.parent_id ? 'parent' : null;
    if (!relation) continue;
    const targetId = (relation === 'variation_of' ? y.lineage.variation_of : y.lineage.parent_id)!;
    const target = headById.get(targetId) ?? baseById.get(targetId);
    if (!target) continue;
    const full = compareEntries(snapshotFromIndex(target), snapshotFromIndex(y), headDirections.get(y.notebook_id) ?? baseDirections.get(y.notebook_id));
    const comparison = baselineOnly(full);
    // An entry derived from one of another type (a query feeding a script) shares no parameters with it.
    if (target.type !== y.type) comparison.inputs = [];
    d.baseline = { id: target.id, title: target.title, relation, changed: listed.has(target.id), comparison };
  }
  return out.sort((p, q) => compareStrings(p.path, q.path) || compareStrings(p.id, q.id));
}

/** Keeps what makes sense between two different entries: inputs, numbers and rating. */
function baselineOnly(c: EntryComparison): EntryComparison {
  return {
    title: null,
    status: null,
    run: null,
    inputs: c.inputs,
    metrics: c.metrics,
    outputs: c.outputs,
    outputs_other: [],
    rating: c.rating,
    artifacts: { added: [], removed: [], archived: [], restored: [] },
    tags: { added: [], removed: [] },
    lineage: [],
    notes_changed: false,
  };
}

function entryDiff(
  e: Entry,
  change: EntryDiff['change'],
  comparison: EntryComparison | null,
  headFiles: Map<string, string>,
  baseFiles: Map<string, string>,
  extra: Partial<EntryDiff> = {},
): EntryDiff {
  // Added artifacts are stored at head, removed ones at base.
  const at =
    (files: Map<string, string>) =>
    (a: ArtifactRef): DiffArtifact => ({ ...a, blob_path: blobIndex(files).get(a.hash.slice(7)) ?? null });
  const artifacts = comparison
    ? { ...comparison.artifacts, added: comparison.artifacts.added.map(at(headFiles)), removed: comparison.artifacts.removed.map(at(baseFiles)) }
    : { added: [], removed: [], archived: [], restored: [] };
  return {
    id: e.id,
    title: e.title,
    notebook_id: e.notebook_id,
    page_id: e.page_id,
    change,
    status: e.status,
    path: e.source.path,
    old_path: null,
    move: null,
    comparison,
    baseline: null,
    input_files: [],
    artifacts,
    problem: null,
    ...extra,
  };
}

const blobIndexes = new WeakMap<Map<string, string>, Map<string, string>>();

/** hex digest → blob path, from a side's file list. */
function blobIndex(files: Map<string, string>): Map<string, string> {
  let idx = blobIndexes.get(files);
  if (!idx) {
    idx = new Map();
    for (const p of files.keys()) {
      const m = /^content\/blobs\/[0-9a-f]{2}\/([0-9a-f]{64})(\.[^/]*)?$/.exec(p);
      if (m) idx.set(m[1]!, p);
    }
    blobIndexes.set(files, idx);
  }
  return idx;
}

function inputFileChanges(x: Entry, y: Entry, before: Map<string, string>, after: Map<string, string>): EntryDiff['input_files'] {
  const out: EntryDiff['input_files'] = [];
  for (const p of [...new Set([...x.input_files, ...y.input_files])].sort(compareStrings)) {
    const a = x.input_files.includes(p) ? before.get(p) : undefined;
    const b = y.input_files.includes(p) ? after.get(p) : undefined;
    if (a === b) continue;
    // A reference that moved along with its file (same content) is not a change.
    if (a !== undefined && b === undefined && y.input_files.some((q) => after.get(q) === a)) continue;
    if (b !== undefined && a === undefined && x.input_files.some((q) => before.get(q) === b)) continue;
    out.push({ path: p, change: a === undefined ? 'added' : b === undefined ? 'removed' : 'modified' });
  }
  return out;
}

/**
 * An entry missing on one side is "unreadable" rather than added/removed when
 * that side has an error in its file or in its page's or notebook's README.
 */
function unreadableAt(e: Entry, problems: DiffProblem[], side: 'base' | 'head'): DiffProblem | null {
  const pageDir = dirOf(dirOf(e.source.path));
  const candidates = [e.source.path, ...[pageDir, dirOf(pageDir)].flatMap((dir) => [`${dir}/README.md`, `${dir}/README.org`])];
  for (const file of candidates) {
    const p = problems.find((q) => q.side === side && q.file === file);
    if (p) return p;
  }
  return null;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function matchById<T extends { id: string }>(a: T[], b: T[]): [T | undefined, T | undefined][] {
  const left = new Map(a.map((r) => [r.id, r]));
  const right = new Map(b.map((r) => [r.id, r]));
  const ids = [...new Set([...left.keys(), ...right.keys()])].sort(compareStrings);
  return ids.map((id) => [left.get(id), right.get(id)]);
}

function summarize(notebooks: NotebookDiff[], pages: PageDiff[], entries: EntryDiff[]): DiffSummary {
  const count = (list: { change: string }[], kind: string) => list.filter((r) => r.change === kind).length;
  let better = 0;
  let worse = 0;
  const tally = (c: EntryComparison | null | undefined) => {
    if (!c) return;
    for (const m of [...c.metrics, ...(c.rating ? [c.rating] : [])]) {
      if (m.verdict === 'better') better++;
      else if (m.verdict === 'worse') worse++;
    }
  };
  for (const e of entries) {
    if (e.change === 'changed') tally(e.comparison);
    if (e.baseline) tally(e.baseline.comparison);
  }
  const runs = entries.filter((e) => e.comparison?.run);
  return {
    notebooks: { added: count(notebooks, 'added'), removed: count(notebooks, 'removed'), changed: count(notebooks, 'changed') },
    pages: { added: count(pages, 'added'), removed: count(pages, 'removed'), changed: count(pages, 'changed') },
    entries: {
      added: count(entries, 'added'),
      removed: count(entries, 'removed'),
      changed: count(entries, 'changed'),
      moved: entries.filter((e) => e.move).length,
      unreadable: count(entries, 'unreadable'),
      runs: runs.length,
      failed_runs: runs.filter((e) => e.comparison!.run!.status === 'failed').length,
    },
    metrics: { better, worse },
  };
}
