/**
 * `lab diff` for a terminal: a one-line summary, then one block per changed
 * entry with aligned `key  old → new  delta  verdict` rows, then pages.
 */
import { displayPath } from '../../core/diagnostics.ts';
import { archivedPhrase, arrow, deltaPhrase, type Row, runPhrase, valueRows, verdictMark } from '../describe.ts';
import { truncate } from '../values.ts';
import { result, whatChanged } from './headline.ts';
import type { DiffSide, EntryDiff, JournalDiff, NarrativeChange } from './model.ts';

/** How many rows a brand-new entry without a baseline shows (its inputs can be long). */
const NEW_ENTRY_ROWS = 6;

export function sideLabel(s: DiffSide): string {
  if (!s.commit) return s.ref;
  const short = s.commit.slice(0, 7);
  return s.ref === s.commit || s.ref.startsWith(short) ? short : `${s.ref} (${short})`;
}

export function summaryLine(d: JournalDiff): string {
  const e = d.summary.entries;
  const parts: string[] = [];
  if (e.added) parts.push(`${e.added} added`);
  if (e.changed) parts.push(`${e.changed} changed`);
  if (e.removed) parts.push(`${e.removed} removed`);
  if (e.unreadable) parts.push(`${e.unreadable} unreadable`);
  const bits = [`entries: ${parts.join(', ') || 'no changes'}`];
  if (e.runs) bits.push(`${e.runs} run${e.runs > 1 ? 's' : ''}${e.failed_runs ? ` (${e.failed_runs} failed)` : ''}`);
  const m = d.summary.metrics;
  if (m.better || m.worse) bits.push(`metrics: ${m.better} better, ${m.worse} worse`);
  const p = d.summary.pages;
  const pageCount = p.added + p.removed + p.changed;
  if (pageCount) bits.push(`pages: ${pageCount} changed`);
  const n = d.summary.notebooks;
  const nbCount = n.added + n.removed + n.changed;
  if (nbCount) bits.push(`notebooks: ${nbCount} changed`);
  return bits.join(' · ');
}

/** `--stat`: one line per entry and page. */
export function renderStat(d: JournalDiff): string {
  const lines: string[] = [`lab diff: ${sideLabel(d.base)} → ${sideLabel(d.head)}`, summaryLine(d)];
  for (const n of d.notes) lines.push(`note: ${n}`);
  if (d.problems.length) lines.push(`! ${d.problems.length} file problem${d.problems.length > 1 ? 's' : ''} (run without --stat to see them)`);
  if (d.entries.length) lines.push('');
  for (const e of d.entries) {
    const numbers = result(e, 'text');
    lines.push(`${marker(e.change)} ${e.title}  ${whatChanged(e, 'text').join(' · ')}${numbers.length ? `  ⇒ ${numbers.join(', ')}` : ''}`);
  }
  for (const p of d.pages) {
    const what = p.change === 'changed' ? [...p.fields.map((f) => f.key), ...p.narrative.map((n) => n.heading)].join(', ') : p.change;
    lines.push(`${marker(p.change)} page ${p.title}  ${what}`);
  }
  return lines.join('\n');
}

export function renderText(d: JournalDiff): string {
  const lines: string[] = [`lab diff: ${sideLabel(d.base)} → ${sideLabel(d.head)}`, summaryLine(d)];
  for (const n of d.notes) lines.push(`note: ${n}`);
  for (const p of d.problems.slice(0, 20)) {
    lines.push(`! ${p.side === 'base' ? sideLabel(d.base) : sideLabel(d.head)}: ${displayPath(p.file)}:${p.line}:${p.column}: ${p.message}`);
  }
  if (d.problems.length > 20) lines.push(`! … ${d.problems.length - 20} more problems (see --format json)`);
  for (const e of d.entries) lines.push('', ...entryBlock(e));
  for (const n of d.notebooks) {
    lines.push('', `${marker(n.change)} notebook ${n.title} (${n.id})${n.old_path ? `  moved from ${n.old_path}` : ''}`);
    for (const f of n.fields) lines.push(`    ${f.key}  ${arrow(f)}`);
  }
  for (const p of d.pages) {
    lines.push('', `${marker(p.change)} page ${p.title} (${p.id})${p.old_path ? `  moved from ${p.old_path}` : ''}`);
    for (const f of p.fields) lines.push(`    ${f.key}  ${arrow(f)}`);
    for (const s of p.narrative) lines.push(...narrativeLines(s));
  }
  return lines.join('\n');
}

function marker(change: string): string {
  return change === 'added' ? '+' : change === 'removed' ? '-' : change === 'unreadable' ? '!' : '~';
}

function entryBlock(e: EntryDiff): string[] {
  const c = e.comparison;
  const head = `${marker(e.change)} ${e.title} (${e.id})`;
  const tags: string[] = [];
  if (e.change === 'removed') tags.push('removed');
  if (c?.run) tags.push(runPhrase(c.run));
  else if (e.change === 'added') tags.push(`new, ${e.status === 'created' ? 'not run yet' : e.status}`);
  const out = [tags.length ? `${head} — ${tags.join('; ')}` : head];
  if (e.problem)
    out.push(`    could not be read at ${e.problem.side}: ${displayPath(e.problem.file)}:${e.problem.line}:${e.problem.column}: ${e.problem.message}`);
  if (e.move === 'renamed') out.push(`    renamed: ${baseName(e.old_path!)} → ${baseName(e.path)}`);
  else if (e.move) out.push(`    moved: ${e.old_path} → ${e.path}`);
  if (e.baseline) {
    const b = e.baseline;
    const vs = valueRows(b.comparison);
    out.push(
      `    ${b.relation === 'variation_of' ? 'variation of' : 'derived from'} ${b.title} (${b.id})${b.changed ? '' : ', unchanged here'}${vs.length ? '; vs it:' : ''}`,
    );
    out.push(...rows(vs, '      '));
  } else if (c && e.change === 'added') {
    const r = valueRows(c);
    out.push(...rows(r.slice(0, NEW_ENTRY_ROWS), '    '));
    if (r.length > NEW_ENTRY_ROWS) out.push(`    … ${r.length - NEW_ENTRY_ROWS} more values`);
  } else if (c) out.push(...rows(valueRows(c), '    '));
  for (const f of e.input_files) out.push(`    input file ${f.change}: ${f.path}`);
  if (c) {
    for (const a of e.artifacts.added) out.push(`    + ${a.name}${a.width && a.height ? ` ${a.width}×${a.height}` : ''}`);
    for (const a of e.artifacts.removed) out.push(`    - ${a.name}`);
    for (const a of e.artifacts.archived) out.push(`    ~ ${a.name} archived (${archivedPhrase(a)})`);
    for (const a of e.artifacts.restored) out.push(`    ~ ${a.name} restored (${a.original_hash.slice(0, 19)}…)`);
    if (c.outputs_other.length) out.push(`    outputs changed: ${c.outputs_other.join(', ')}`);
    const tagText = [...c.tags.added.map((t) => `+${t}`), ...c.tags.removed.map((t) => `-${t}`)].join(' ');
    if (tagText) out.push(`    tags ${tagText}`);
    if (c.notes_changed) out.push('    notes edited');
  }
  return out;
}

function rows(list: Row[], indent: string): string[] {
  const width = Math.min(28, Math.max(0, ...list.map((r) => r.label.length)));
  const values = list.map((r) => arrow(r.change));
  const valueWidth = Math.min(36, Math.max(0, ...values.map((v) => v.length)));
  return list.map((r, i) => {
    const tail = r.number ? [deltaPhrase(r.number), verdictMark(r.number, 'text')].filter(Boolean).join('  ') : '';
    return `${indent}${r.label.padEnd(width)}  ${tail ? values[i]!.padEnd(valueWidth) : values[i]}${tail ? `  ${tail}` : ''}`.trimEnd();
  });
}

function narrativeLines(s: NarrativeChange): string[] {
  const out = [`    ${s.heading}: ${s.change === 'changed' ? `+${s.added.length} −${s.removed.length} lines` : s.change}`];
  for (const l of s.removed.slice(0, 3)) out.push(`      - ${truncate(l, 100)}`);
  for (const l of s.added.slice(0, 3)) out.push(`      + ${truncate(l, 100)}`);
  const more = s.added.length + s.removed.length - Math.min(3, s.added.length) - Math.min(3, s.removed.length);
  if (more > 0) out.push(`      … ${more} more lines`);
  return out;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
