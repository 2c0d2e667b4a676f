/**
 * What changed between two versions of an entry (or between an entry and the
 * entry it is a variation of): parameters as dotted paths, numbers with deltas
 * and a better/worse verdict where the direction is known, runs, artifacts.
 */
import { isImageType } from '../core/mime.ts';
import type { EntrySnapshot } from './entry-snapshot.ts';
import { compareStrings, type Direction, flatten, isFiniteNumber, numericDelta, sameValue, verdictOf } from './values.ts';

/** A key whose value changed. `old`/`new` are absent when the key did not exist on that side. */
export interface ValueChange {
  key: string;
  old?: unknown;
  new?: unknown;
}

/** A changed number (or a changed non-number under metrics, with null deltas). */
export interface NumberChange extends ValueChange {
  delta: number | null;
  relative: number | null;
  direction: Direction | null;
  verdict: 'better' | 'worse' | 'same' | null;
}

/** An execution that happened between the two versions. */
export interface RunChange {
  kind: 'first-run' | 're-run';
  status: string;
  duration_seconds: number | null;
  started_at: string | null;
  completed_at: string | null;
  error: string | null;
}

/** An artifact as the diff shows it. */
export interface ArtifactRef {
  name: string;
  hash: string;
  type: string | null;
  width: number | null;
  height: number | null;
  size_bytes: number | null;
  image: boolean;
}

/** An artifact that `lab archive` shrank (or `--restore` brought back) between the two versions. */
export interface ArchivedArtifactRef {
  name: string;
  strategy: string;
  /** The original's blob address and size. */
  original_hash: string;
  original_size_bytes: number | null;
  /** The stand-in's blob (null for `drop`) and size. */
  hash: string | null;
  size_bytes: number | null;
}

export interface EntryComparison {
  title: { old: string; new: string } | null;
  status: { old: string; new: string } | null;
  run: RunChange | null;
  inputs: ValueChange[];
  metrics: NumberChange[];
  /** Numeric outputs only (others are listed by key in `outputs_other`). */
  outputs: NumberChange[];
  outputs_other: string[];
  rating: NumberChange | null;
  /** `archived`/`restored`: the same artifact, its bytes archived or restored — neither added nor removed. */
  artifacts: { added: ArtifactRef[]; removed: ArtifactRef[]; archived: ArchivedArtifactRef[]; restored: ArchivedArtifactRef[] };
  tags: { added: string[]; removed: string[] };
  lineage: ValueChange[];
  notes_changed: boolean;
}

/** Directions known without configuration; notebook `settings.metrics` overrides them. */
const DEFAULT_DIRECTIONS: Record<string, Direction> = {
  compute_seconds: 'lower',
  estimated_usd: 'lower',
  duration_seconds: 'lower',
};

/** The better direction of `key` (dotted): declared for the full key, then its last segment. */
function directionFor(key: string, declared: Record<string, Direction> | undefined): Direction | null {
  const leaf = key.slice(key.lastIndexOf('.') + 1);
  return declared?.[key] ?? declared?.[leaf] ?? DEFAULT_DIRECTIONS[key] ?? DEFAULT_DIRECTIONS[leaf] ?? null;
}

/** Keys whose values differ, sorted; nested objects compared key by key. */
export function changedValues(a: Record<string, unknown> | null, b: Record<string, unknown> | null): ValueChange[] {
  const fa = flatten(a ?? {});
  const fb = flatten(b ?? {});
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort(compareStrings);
  const out: ValueChange[] = [];
  for (const key of keys) {
    const inA = fa.has(key);
    const inB = fb.has(key);
    if (inA && inB && sameValue(fa.get(key), fb.get(key))) continue;
    const c: ValueChange = { key };
    if (inA) c.old = fa.get(key);
    if (inB) c.new = fb.get(key);
    out.push(c);
  }
  return out;
}

/** Turns value changes into number changes with deltas and verdicts. */
function numberChanges(changes: ValueChange[], declared: Record<string, Direction> | undefined): NumberChange[] {
  return changes.map((c) => numberChange(c, directionFor(c.key, declared)));
}

function numberChange(c: ValueChange, direction: Direction | null): NumberChange {
  const out: NumberChange = { ...c, delta: null, relative: null, direction, verdict: null };
  if (isFiniteNumber(c.old) && isFiniteNumber(c.new)) {
    const { delta, relative } = numericDelta(c.old, c.new);
    out.delta = delta;
    out.relative = relative;
    out.verdict = verdictOf(delta, direction);
  }
  return out;
}

/** Whether the runner recorded a (new) execution in `b` compared with `a`. */
export function runChange(a: EntrySnapshot | null, b: EntrySnapshot): RunChange | null {
  const exec = b.execution;
  const ran = exec && (exec.started_at || exec.completed_at || exec.inputs_hash);
  // Without a recorded execution, only a status that newly became final counts as a run
  // (a manual entry marked completed by hand); an unchanged status is no news.
  if (!ran && (!['completed', 'failed', 'interrupted'].includes(b.status) || (a && a.status === b.status))) return null;
  const before = a?.execution;
  const ranBefore = before && (before.started_at || before.completed_at || before.inputs_hash);
  let kind: RunChange['kind'];
  if (!a || !ranBefore) kind = 'first-run';
  else if (
    !sameValue(before.started_at, exec?.started_at) ||
    !sameValue(before.completed_at, exec?.completed_at) ||
    !sameValue(before.inputs_hash, exec?.inputs_hash)
  )
    kind = 're-run';
  else return null;
  return {
    kind,
    status: b.status,
    duration_seconds: durationOf(exec),
    started_at: typeof exec?.started_at === 'string' ? exec.started_at : null,
    completed_at: typeof exec?.completed_at === 'string' ? exec.completed_at : null,
    error: typeof exec?.error === 'string' ? exec.error : null,
  };
}

function durationOf(exec: Record<string, unknown> | null): number | null {
  if (!exec) return null;
  if (isFiniteNumber(exec.duration_seconds)) return exec.duration_seconds;
  if (typeof exec.started_at === 'string' && typeof exec.completed_at === 'string') {
    const ms = Date.parse(exec.completed_at) - Date.parse(exec.started_at);
    if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  }
  return null;
}

function artifactRef(a: EntrySnapshot['artifacts'][number]): ArtifactRef {
  const type = typeof a.type === 'string' ? a.type : null;
  return {
    name: a.name,
    hash: a.hash,
    type,
    width: a.width ?? null,
    height: a.height ?? null,
    size_bytes: a.size_bytes ?? null,
    image: isImageType(type, a.name),
  };
}

/**
 * Artifacts in `b` and not in `a` (by name and content hash), and the reverse; an
 * artifact whose bytes were archived (or restored) in between is reported as that.
 */
function artifactChanges(a: EntrySnapshot | null, b: EntrySnapshot | null): EntryComparison['artifacts'] {
  const key = (x: { name: string; hash: string }) => `${x.hash}\u0000${x.name}`;
  const beforeList = a?.artifacts ?? [];
  const afterList = b?.artifacts ?? [];
  const archived: ArchivedArtifactRef[] = [];
  const restored: ArchivedArtifactRef[] = [];
  const paired = new Set<object>();
  for (const x of afterList) {
    const y = beforeList.find(
      (o) =>
        o.name === x.name &&
        !paired.has(o) &&
        ((x.archived && !o.archived && x.archived.original_hash === o.hash) || (o.archived && !x.archived && o.archived.original_hash === x.hash)),
    );
    if (!y) continue;
    paired.add(x).add(y);
    const record = (x.archived ?? y.archived)!;
    const standIn = x.archived ? x : y;
    (x.archived ? archived : restored).push({
      name: x.name,
      strategy: record.strategy,
      original_hash: record.original_hash,
      original_size_bytes: record.original_size_bytes ?? null,
      hash: record.strategy === 'drop' ? null : standIn.hash,
      size_bytes: record.strategy === 'drop' ? null : (standIn.size_bytes ?? null),
    });
  }
  const before = new Set(beforeList.map(key));
  const after = new Set(afterList.map(key));
  return {
    added: afterList.filter((x) => !paired.has(x) && !before.has(key(x))).map(artifactRef),
    removed: beforeList.filter((x) => !paired.has(x) && !after.has(key(x))).map(artifactRef),
    archived,
    restored,
  };
}

/**
 * Compares two versions of the same entry (`a` null = the entry is new).
 * `directions` are the notebook's declared metric directions.
 */
export function compareEntries(a: EntrySnapshot | null, b: EntrySnapshot, directions?: Record<string, Direction>): EntryComparison {
  const outputs = changedValues(a?.outputs ?? null, b.outputs);
  const numericOutputs = outputs.filter((c) => (c.old === undefined || isFiniteNumber(c.old)) && (c.new === undefined || isFiniteNumber(c.new)));
  const otherOutputs = outputs.filter((c) => !numericOutputs.includes(c)).map((c) => c.key);
  const ratingChanged = (a?.rating ?? null) !== b.rating;
  const lineage: ValueChange[] = [];
  for (const key of ['parent', 'variation_of'] as const) {
    if ((a?.[key] ?? null) === b[key] || !a) continue;
    const c: ValueChange = { key };
    if (a[key] !== null) c.old = a[key];
    if (b[key] !== null) c.new = b[key];
    lineage.push(c);
  }
  const tagsBefore = new Set(a?.tags ?? []);
  const tagsAfter = new Set(b.tags);
  return {
    title: a && a.title !== b.title ? { old: a.title, new: b.title } : null,
    status: a && a.status !== b.status ? { old: a.status, new: b.status } : null,
    run: runChange(a, b),
    inputs: changedValues(a?.inputs ?? null, b.inputs),
    metrics: numberChanges(changedValues(a?.metrics ?? null, b.metrics), directions),
    outputs: numberChanges(numericOutputs, undefined),
    outputs_other: otherOutputs,
    rating: ratingChanged ? numberChange(ratingValueChange(a?.rating ?? null, b.rating), 'higher') : null,
    artifacts: artifactChanges(a, b),
    tags: a ? { added: b.tags.filter((t) => !tagsBefore.has(t)), removed: (a.tags ?? []).filter((t) => !tagsAfter.has(t)) } : { added: [], removed: [] },
    lineage,
    notes_changed: a ? a.notes !== b.notes : false,
  };
}

function ratingValueChange(a: number | null, b: number | null): ValueChange {
  const c: ValueChange = { key: 'rating' };
  if (a !== null) c.old = a;
  if (b !== null) c.new = b;
  return c;
}

/** True when the comparison found nothing worth showing. */
export function isEmptyComparison(c: EntryComparison): boolean {
  return (
    !c.title &&
    !c.status &&
    !c.run &&
    !c.inputs.length &&
    !c.metrics.length &&
    !c.outputs.length &&
    !c.outputs_other.length &&
    !c.rating &&
    !c.artifacts.added.length &&
    !c.artifacts.removed.length &&
    !c.artifacts.archived.length &&
    !c.artifacts.restored.length &&
    !c.tags.added.length &&
    !c.tags.removed.length &&
    !c.lineage.length &&
    !c.notes_changed
  );
}
