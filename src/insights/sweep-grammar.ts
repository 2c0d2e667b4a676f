/**
 * Sweep overrides in Hydra's grammar (the one `dvc exp run -S` uses):
 *   key=a,b,c  or  key=choice(a,b,c)     a choice
 *   key=range(start,stop[,step])         start + i·step, stop exclusive (floats allowed, negative steps too)
 *   key=interval(low,high)               low ≤ x < high, for random sweeps
 *   key=tag(log,interval(low,high))      the same, sampled on a log scale
 *   key=value                            a fixed override applied to every point
 * Values are typed like `lab variation --override` (YAML scalars: 7 is a number, '7' a string).
 */
import { yamlScalar } from '../core/authoring.ts';
import { UsageError } from '../core/diagnostics.ts';
import { round } from './stats.ts';

/** What one key sweeps over. */
export type SweepDomain =
  | { kind: 'value'; value: unknown }
  | { kind: 'choice'; values: unknown[] }
  | { kind: 'range'; values: number[] }
  | { kind: 'interval'; low: number; high: number; log: boolean; integer: boolean; q: number | null };

/** One swept key: its path in `inputs` (bare keys go to `inputs.parameters`, as with `lab variation`) and its domain. */
export interface SweepParam {
  key: string;
  path: string[];
  domain: SweepDomain;
}

export function parseOverride(text: string): SweepParam {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`-S expects key=values, got '${text}'`);
  const key = text.slice(0, eq).trim();
  const path = key.split('.');
  if (path.some((k) => !k)) throw new UsageError(`bad key in '${text}'`);
  return { key, path, domain: parseDomain(text.slice(eq + 1).trim(), text) };
}

function parseDomain(raw: string, whole: string): SweepDomain {
  const call = /^([a-z_]+)\((.*)\)$/s.exec(raw);
  if (call) {
    const [, fn, body] = call;
    const args = splitTopLevel(body!).map((a) => a.trim());
    if (fn === 'choice') {
      if (!args.length || args.some((a) => a === '')) throw new UsageError(`choice() needs values: '${whole}'`);
      return { kind: 'choice', values: args.map(typed) };
    }
    if (fn === 'range')
      return { kind: 'range', values: rangeValues(...(numbers(named(args, ['start', 'stop', 'step']), 2, 3, whole) as [number, number, number?])) };
    if (fn === 'interval') {
      const [low, high] = numbers(named(args, ['start', 'end']), 2, 2, whole) as [number, number];
      if (!(low < high)) throw new UsageError(`interval(low,high) needs low < high: '${whole}'`);
      return { kind: 'interval', low, high, log: false, integer: false, q: null };
    }
    if (fn === 'tag') {
      const inner = args.at(-1) ?? '';
      const tags = args.slice(0, -1);
      const domain = parseDomain(inner, whole);
      if (domain.kind !== 'interval' || tags.some((t) => t !== 'log')) throw new UsageError(`only tag(log, interval(low,high)) is supported: '${whole}'`);
      if (domain.low <= 0) throw new UsageError(`a log interval needs low > 0: '${whole}'`);
      return { ...domain, log: true };
    }
    if (['glob', 'sort', 'shuffle', 'int', 'float', 'str', 'bool'].includes(fn!)) throw new UsageError(`${fn}() is not supported in lab sweep: '${whole}'`);
  }
  const parts = splitTopLevel(raw);
  if (parts.length > 1) {
    if (parts.some((p) => p.trim() === '')) throw new UsageError(`empty value in '${whole}'`);
    return { kind: 'choice', values: parts.map((p) => typed(p.trim())) };
  }
  return { kind: 'value', value: typed(raw) };
}

/**
 * Hydra's range: r[i] = start + step·i while r[i] < stop (step > 0) or r[i] > stop
 * (step < 0). Values are rounded to 12 significant digits, so range(0,1,0.1)
 * gives 0.3, not 0.30000000000000004, and the comparison uses that value.
 */
export function rangeValues(start: number, stop: number, step = 1): number[] {
  if (step === 0 || !Number.isFinite(step)) throw new UsageError(`range() step must be a non-zero number, got ${step}`);
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const v = round(start + step * i, 12);
    if (step > 0 ? v >= stop : v <= stop) break;
    out.push(v);
    if (out.length > 100_000) throw new UsageError(`range(${start},${stop},${step}) has more than 100000 values`);
  }
  if (!out.length) throw new UsageError(`range(${start},${stop},${step}) is empty (stop is exclusive)`);
  return out;
}

/** Splits on commas outside quotes, brackets and parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

function typed(text: string): unknown {
  return yamlScalar(text);
}

/** Positional or `name=value` arguments, in the declared order. */
function named(args: string[], names: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    const m = /^([a-z_]+)\s*=\s*(.*)$/.exec(a);
    if (m && names.includes(m[1]!)) out[names.indexOf(m[1]!)] = m[2]!;
    else out[i] = a;
  });
  return out;
}

function numbers(args: string[], min: number, max: number, whole: string): number[] {
  const present = args.filter((a) => a !== undefined);
  if (present.length < min || args.length > max) throw new UsageError(`wrong number of arguments in '${whole}'`);
  return args.map((a) => {
    const v = Number(a);
    if (a === undefined || a.trim() === '' || !Number.isFinite(v)) throw new UsageError(`'${a}' is not a number in '${whole}'`);
    return v;
  });
}
