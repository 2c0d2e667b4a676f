/**
 * The deterministic summary of a page or notebook: what was tried, the best
 * entry per metric with its margin, what mattered, what changed along the
 * lineage, failures and stale entries. Every sentence cites the entry ids it
 * is about, and every number in it comes from the analysis.
 */
import type { Entry } from '../core/model.ts';
import type { Best } from './best.ts';
import type { Effect } from './effects.ts';
import { showValue } from './features.ts';
import type { PairedDelta } from './paired.ts';
import type { Sample } from './samples.ts';

/** One sentence and the entries it cites. */
export interface Sentence {
  text: string;
  cites: string[];
}

export interface SummaryInput {
  title: string;
  entries: readonly Entry[];
  samples: readonly Sample[];
  varying: ReadonlySet<string>;
  effects: readonly Effect[];
  best: readonly Best[];
  paired: readonly PairedDelta[];
  primary: string | null;
}

/** How many ids a sentence spells out before "and N more". */
const SHOWN = 5;

export function summarize(s: SummaryInput): Sentence[] {
  const out: Sentence[] = [];
  out.push(tried(s));
  for (const b of s.best) out.push(bestSentence(b));
  for (const metric of s.best.map((b) => b.metric)) {
    const sentence = effectSentence(
      metric,
      s.effects.filter((e) => e.metric === metric),
      s.best.find((b) => b.metric === metric)!,
    );
    if (sentence) out.push(sentence);
  }
  const lineage = lineageSentence(s.paired, s.primary);
  if (lineage) out.push(lineage);
  const failed = s.entries.filter((e) => e.status === 'failed' || e.status === 'interrupted').sort(byId);
  if (failed.length) {
    const why = failed.slice(0, SHOWN).map((e) => `${e.id} (${e.status}${e.execution?.error ? `: ${oneLine(e.execution.error)}` : ''})`);
    out.push({
      text: `${count(failed.length, 'entry', 'entries')} did not complete: ${why.join('; ')}${more(failed.length)}.`,
      cites: failed.map((e) => e.id),
    });
  }
  const stale = s.entries.filter((e) => e.stale).sort(byId);
  if (stale.length) {
    out.push({
      text: `${count(stale.length, 'entry is', 'entries are')} stale (inputs changed after the run, so their numbers are left out): ${ids(stale.map((e) => e.id))}; re-run with \`lab run --stale\`.`,
      cites: stale.map((e) => e.id),
    });
  }
  return out;
}

function tried(s: SummaryInput): Sentence {
  const all = [...s.entries].sort(byId).map((e) => e.id);
  const statuses = new Map<string, number>();
  for (const e of s.entries) statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
  const byStatus = [...statuses]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const params = [...s.varying].sort().map((name) => `${name} (${valueRange(s.samples, name)})`);
  const what = params.length ? `varying ${params.join(', ')}` : 'with no parameter varied between them';
  return { text: `${s.title}: ${count(s.entries.length, 'entry', 'entries')} (${byStatus || 'none'}), ${what}: ${ids(all)}.`, cites: all };
}

function valueRange(samples: readonly Sample[], name: string): string {
  const vs = [...new Set(samples.map((x) => x.params.values.get(name)).filter((v) => v !== undefined))];
  if (!vs.length) return 'not in any completed entry';
  if (vs.every((v) => typeof v === 'number')) {
    const ns = (vs as number[]).sort((a, b) => a - b);
    return ns.length === 1 ? `${ns[0]}` : `${ns.length} values, ${ns[0]} to ${ns[ns.length - 1]}`;
  }
  const labels = vs.map((v) => showValue(v)).sort();
  return labels.length <= 4 ? labels.join(' / ') : `${labels.length} values`;
}

function bestSentence(b: Best): Sentence {
  const settings = Object.entries(b.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const margin = !b.runner_up
    ? ' (the only entry with it)'
    : b.runner_up.margin === 0
      ? `, tied with ${b.runner_up.entry}`
      : `, ${b.runner_up.margin} ${b.goal === 'maximize' ? 'above' : 'below'} the runner-up ${b.runner_up.entry} (${b.runner_up.value})`;
  return {
    text: `Best ${b.metric} (${b.goal === 'maximize' ? 'highest' : 'lowest'} of ${b.n}): ${b.value} in ${b.entry}${settings ? ` (${settings})` : ''}${margin}.`,
    cites: [b.entry, ...(b.runner_up ? [b.runner_up.entry] : [])],
  };
}

function effectSentence(metric: string, effects: readonly Effect[], best: Best): Sentence | null {
  if (!effects.length) return null;
  const top = effects[0]!;
  const cites = [best.entry];
  if (!top.significant) {
    return {
      text: `No parameter has a significant effect on ${metric} yet (strongest: ${top.parameter}, importance ${top.importance}, n = ${top.n}, adjusted p = ${top.p_adjusted}); best so far ${best.entry}.`,
      cites,
    };
  }
  const parts = [`${top.parameter} matters most for ${metric}`];
  if (top.statistic.name === 'spearman') {
    const within = top.statistic.within !== null ? `, ${top.statistic.within} within strata of the other parameters` : '';
    parts.push(
      `rho = ${top.statistic.value}${top.interval ? ` (95% ${top.interval[0]} to ${top.interval[1]})` : ''}${within}, n = ${top.n}, adjusted p = ${top.p_adjusted}`,
    );
    if (top.slope)
      parts.push(
        `${metric} ${top.direction} by ${top.slope.value} per unit of ${top.parameter}${top.slope.interval ? ` (95% ${top.slope.interval[0]} to ${top.slope.interval[1]})` : ''}`,
      );
  } else {
    parts.push(
      `importance ${top.importance}, n = ${top.n}, adjusted p = ${top.p_adjusted}; best level ${top.best_level?.value} (median ${top.best_level?.median})`,
    );
  }
  if (top.paired) {
    const edgeIds = top.paired.edges.flatMap((e) => e.split('→'));
    cites.push(...edgeIds);
    parts.push(
      `${top.paired.n} single-change variation ${top.paired.n === 1 ? 'edge agrees' : 'edges give'} ${top.paired.mean}${top.paired.per_unit ? ' per unit' : ''} (${top.paired.edges.slice(0, 3).join(', ')}${top.paired.edges.length > 3 ? `, and ${top.paired.edges.length - 3} more` : ''})`,
    );
  }
  const others = effects
    .slice(1)
    .filter((e) => e.significant)
    .map(
      (e) =>
        `${e.parameter} (${e.direction}, importance ${e.importance}${e.statistic.within !== null ? `, rho within strata ${e.statistic.within}` : ''}, adjusted p = ${e.p_adjusted})`,
    );
  if (others.length) parts.push(`also significant: ${others.join(', ')}`);
  return { text: `${parts[0]}: ${parts.slice(1).join('; ')}; best ${best.entry}.`, cites: [...new Set(cites)] };
}

function lineageSentence(paired: readonly PairedDelta[], primary: string | null): Sentence | null {
  const steps = paired
    .filter((d) => d.metric === primary)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.to_entry < b.to_entry ? -1 : 1))
    .slice(0, 3);
  if (!steps.length) return null;
  const text = steps.map(
    (d) =>
      `${d.from_entry} → ${d.to_entry} set ${d.parameter} ${showValue(d.from ?? undefined)} → ${showValue(d.to ?? undefined)} (${primary} ${d.delta >= 0 ? '+' : ''}${Number(d.delta.toPrecision(4))})`,
  );
  return { text: `Largest single-change steps along the lineage: ${text.join('; ')}.`, cites: [...new Set(steps.flatMap((d) => [d.from_entry, d.to_entry]))] };
}

function ids(list: readonly string[]): string {
  return `${list.slice(0, SHOWN).join(', ')}${more(list.length)}`;
}

function more(n: number): string {
  return n > SHOWN ? ` and ${n - SHOWN} more` : '';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function oneLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
