/**
 * One entry of a diff in a few words — what changed, and the two most telling
 * numbers — for the Markdown summary table and `lab diff --stat`.
 */
import { arrow, runPhrase } from '../describe.ts';
import type { EntryComparison, NumberChange } from '../entry-compare.ts';
import { formatPercent, formatSigned, formatValue } from '../values.ts';
import type { EntryDiff } from './model.ts';

export type Style = 'md' | 'text';

/** The run, up to three parameters, new artifacts, changed input files. */
export function whatChanged(e: EntryDiff, style: Style): string[] {
  if (e.change === 'removed') return ['removed'];
  if (e.change === 'unreadable') return [`could not be read at ${e.problem?.side ?? 'one side'}`];
  const c = e.comparison!;
  const bits: string[] = [];
  const icon = (status: string) => (style === 'text' ? '' : `${status === 'failed' ? '❌' : status === 'completed' ? '✅' : '⏳'} `);
  if (c.run) bits.push(`${icon(c.run.status)}${runPhrase(c.run)}`);
  else if (e.change === 'added') bits.push(e.status === 'created' ? 'new, not run yet' : `new, ${e.status}`);
  const inputs = e.baseline ? e.baseline.comparison.inputs : e.change === 'added' ? [] : c.inputs;
  for (const v of inputs.slice(0, 3)) bits.push(`${v.key} ${arrow(v, 24)}`);
  if (inputs.length > 3) bits.push(`+${inputs.length - 3} more`);
  if (e.artifacts.added.length) bits.push(`${e.artifacts.added.length} new artifact${e.artifacts.added.length > 1 ? 's' : ''}`);
  if (e.artifacts.archived.length) bits.push(`${e.artifacts.archived.length} artifact${e.artifacts.archived.length > 1 ? 's' : ''} archived`);
  if (e.artifacts.restored.length) bits.push(`${e.artifacts.restored.length} artifact${e.artifacts.restored.length > 1 ? 's' : ''} restored`);
  if (e.input_files.length) bits.push(`${e.input_files.length} input file${e.input_files.length > 1 ? 's' : ''} changed`);
  if (e.move && !bits.length) bits.push(e.move);
  if (c.notes_changed && !bits.length) bits.push('notes edited');
  return bits;
}

/** The two most telling numbers: those with a verdict first, then the largest relative change. */
export function result(e: EntryDiff, style: Style): string[] {
  const c: EntryComparison | null = e.baseline?.comparison ?? e.comparison;
  if (!c) return [];
  const nums = [...c.metrics, ...(c.rating ? [c.rating] : [])].filter((m) => 'new' in m && (m.delta !== null || e.change === 'added'));
  const score = (m: NumberChange) => (m.verdict && m.verdict !== 'same' ? 10 : 0) + Math.min(5, Math.abs(m.relative ?? 0));
  const top = [...nums].sort((a, b) => score(b) - score(a)).slice(0, 2);
  return top.map((m) => {
    if (m.delta === null) return `${m.key} ${formatValue(m.new, 20)}`;
    const rel = m.relative === null ? ` (${formatSigned(m.delta)})` : ` (${formatPercent(m.relative)})`;
    const mark = m.verdict === 'better' ? (style === 'md' ? ' 🟢' : ' ▲') : m.verdict === 'worse' ? (style === 'md' ? ' 🔴' : ' ▼') : '';
    return `${m.key} ${formatValue(m.old, 16)}→${formatValue(m.new, 16)}${rel}${mark}`;
  });
}
