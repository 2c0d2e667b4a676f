/**
 * Entry comparisons as short phrases for people: the rows of `lab diff` and the
 * "what changed" lines of `lab history` / `.lab/history.json`.
 */
import type { ArchivedArtifactRef, EntryComparison, NumberChange, RunChange, ValueChange } from './entry-compare.ts';
import { formatDuration, formatPercent, formatSigned, formatValue } from './values.ts';

/** `re-run: completed in 12.4 s`, `first run: failed after 3 s (exit 2)`. */
export function runPhrase(run: RunChange): string {
  const what = run.kind === 're-run' ? 're-run' : 'run';
  const d = run.duration_seconds;
  const time = d === null ? '' : run.status === 'completed' ? ` in ${formatDuration(d)}` : ` after ${formatDuration(d)}`;
  const error = run.status === 'failed' && run.error ? ` — ${formatValue(run.error, 80)}` : '';
  return `${what}: ${run.status}${time}${error}`;
}

/** `old → new`, with ∅ for a key that did not exist on one side. */
export function arrow(c: ValueChange, max = 40): string {
  if (!('old' in c)) return `${formatValue(c.new, max)} (new)`;
  if (!('new' in c)) return `${formatValue(c.old, max)} (removed)`;
  return `${formatValue(c.old, max)} → ${formatValue(c.new, max)}`;
}

/** `+0.7 (+11.5%)`, or '' for non-numbers. */
export function deltaPhrase(c: NumberChange): string {
  if (c.delta === null) return '';
  return c.relative === null ? formatSigned(c.delta) : `${formatSigned(c.delta)} (${formatPercent(c.relative)})`;
}

export function verdictMark(c: NumberChange, style: 'text' | 'md'): string {
  if (c.verdict === 'better') return style === 'md' ? '🟢 better' : '▲ better';
  if (c.verdict === 'worse') return style === 'md' ? '🔴 worse' : '▼ worse';
  return '';
}

/** One labelled row of a comparison. */
export interface Row {
  label: string;
  change: ValueChange;
  number?: NumberChange;
}

/** The value rows of a comparison, in reading order: status, inputs, metrics, rating, outputs. */
export function valueRows(c: EntryComparison): Row[] {
  const rows: Row[] = [];
  if (c.title) rows.push({ label: 'title', change: { key: 'title', old: c.title.old, new: c.title.new } });
  if (c.status && !c.run) rows.push({ label: 'status', change: { key: 'status', old: c.status.old, new: c.status.new } });
  for (const v of c.inputs) rows.push({ label: v.key, change: v });
  for (const m of c.metrics) rows.push({ label: `metrics.${m.key}`, change: m, number: m });
  if (c.rating) rows.push({ label: 'rating', change: c.rating, number: c.rating });
  for (const o of c.outputs) rows.push({ label: `outputs.${o.key}`, change: o, number: o });
  for (const l of c.lineage) rows.push({ label: l.key, change: l });
  return rows;
}

/** Everything that changed, one phrase each (the history's `changes`). */
export function describeComparison(c: EntryComparison, maxInputs = 12): string[] {
  const out: string[] = [];
  if (c.run) out.push(runPhrase(c.run));
  const rows = valueRows(c);
  const inputRows = rows.filter((r) => !r.number && !['title', 'status', 'parent', 'variation_of'].includes(r.label));
  let shownInputs = 0;
  for (const r of rows) {
    if (inputRows.includes(r) && ++shownInputs > maxInputs) continue;
    const n = r.number;
    const extra =
      n && n.delta !== null
        ? [formatSigned(n.delta), n.relative === null ? '' : formatPercent(n.relative), n.verdict && n.verdict !== 'same' ? n.verdict : '']
            .filter(Boolean)
            .join(', ')
        : '';
    out.push(`${r.label}: ${arrow(r.change)}${extra ? ` (${extra})` : ''}`);
  }
  if (shownInputs > maxInputs) out.push(`… ${shownInputs - maxInputs} more input changes`);
  if (c.outputs_other.length) out.push(`outputs changed: ${c.outputs_other.slice(0, 6).join(', ')}${c.outputs_other.length > 6 ? ', …' : ''}`);
  const arts = [
    ...c.artifacts.added.map((a) => `+${a.name}`),
    ...c.artifacts.removed.map((a) => `−${a.name}`),
    ...c.artifacts.archived.map((a) => `${a.name} archived (${archivedPhrase(a)})`),
    ...c.artifacts.restored.map((a) => `${a.name} restored`),
  ];
  if (arts.length) out.push(`artifacts: ${arts.slice(0, 8).join(', ')}${arts.length > 8 ? `, … (${arts.length} in all)` : ''}`);
  const tags = [...c.tags.added.map((t) => `+${t}`), ...c.tags.removed.map((t) => `−${t}`)];
  if (tags.length) out.push(`tags: ${tags.join(' ')}`);
  if (c.notes_changed) out.push('notes edited');
  return out;
}

/** `thumbnail, original sha256:ab12… 2.0 MB` — how an archived artifact is described. */
export function archivedPhrase(a: ArchivedArtifactRef): string {
  const size = a.original_size_bytes === null ? '' : ` ${formatSize(a.original_size_bytes)}`;
  return `${a.strategy}, original ${a.original_hash.slice(0, 19)}…${size}`;
}

function formatSize(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(1)} KB`
      : n < 1024 ** 3
        ? `${(n / 1024 ** 2).toFixed(1)} MB`
        : `${(n / 1024 ** 3).toFixed(1)} GB`;
}
