/**
 * `lab sweep --config sweep.yaml`: a W&B-style sweep file.
 *
 *   method: grid | random            (bayes is not supported: it needs results between points)
 *   metric: { name: accuracy, goal: maximize }
 *   parameters:
 *     cfg: { values: [4.5, 7, 9.5] }
 *     sampler: { value: euler }
 *     lr: { min: 0.0001, max: 0.1, distribution: log_uniform_values }
 *     steps: { min: 20, max: 40, distribution: int_uniform }
 *   run_cap: 12                      (random: how many points; `count` works too)
 *   seed: 3
 *
 * Problems are reported as `path:line:col` at the offending key.
 */
import { promises as fs } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type Diagnostic, LabError } from '../core/diagnostics.ts';
import { closest } from '../core/entry-types.ts';
import { collectKeyPositions, positionOf } from '../core/source/positions.ts';
import { parseOverride, type SweepParam } from './sweep-grammar.ts';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One parameter of a W&B sweep file. */
const parameterSchema = z.strictObject({
  /** A fixed value for every point. */
  value: scalar.optional(),
  /** The values to choose from. */
  values: z.array(scalar).min(1, { error: 'needs at least one value' }).optional(),
  /** Lower bound (inclusive). */
  min: z.number().optional(),
  /** Upper bound (exclusive for floats, inclusive for int_uniform). */
  max: z.number().optional(),
  /** How values between min and max are drawn; default int_uniform when both are whole numbers, else uniform. */
  distribution: z.enum(['categorical', 'constant', 'uniform', 'int_uniform', 'log_uniform_values', 'q_uniform', 'q_log_uniform_values']).optional(),
  /** Quantization step for the q_ distributions. */
  q: z.number().positive().optional(),
  /** Or a Hydra expression: `range(3,12,1.5)`, `a,b`, `interval(0,1)`. */
  expr: z.string().optional(),
});

const PARAMETER_KEYS = Object.keys(parameterSchema.shape);

/** A W&B-style sweep file. */
const sweepConfigSchema = z.looseObject({
  /** grid (every combination) or random (seeded draws). */
  method: z.enum(['grid', 'random'], { error: 'must be grid or random (bayes is not supported)' }).optional(),
  /** The metric to optimize: reported after `--run`, and used by `lab insights`. */
  metric: z
    .strictObject({
      /** Metric name as in the entries' `metrics`. */
      name: z.string(),
      /** maximize or minimize. */
      goal: z.enum(['maximize', 'minimize']).default('maximize'),
    })
    .optional(),
  /** Parameter name → its domain. */
  parameters: z.record(z.string(), parameterSchema, { error: 'must map parameter names to {values|value|min/max}' }),
  /** Random: how many points. */
  run_cap: z.number().int().positive().optional(),
  /** Random: how many points (alias of run_cap). */
  count: z.number().int().positive().optional(),
  /** Random: the generator's seed. */
  seed: z.number().int().optional(),
  /** A name for the sweep (its id is derived from it). */
  name: z.string().optional(),
});

export interface SweepConfig {
  method?: 'grid' | 'random';
  metric?: { name: string; goal: 'maximize' | 'minimize' };
  params: SweepParam[];
  n?: number;
  seed?: number;
  name?: string;
}

export async function readSweepConfig(file: string, shownPath: string): Promise<SweepConfig> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new LabError(`${shownPath}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, { exitCode: 2 });
  });
  return parseSweepConfig(text, shownPath);
}

export function parseSweepConfig(text: string, shownPath: string): SweepConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problem = (pos: [number, number] | undefined, message: string): Diagnostic => ({
    file: shownPath,
    line: pos?.[0] ?? 1,
    column: pos?.[1] ?? 1,
    severity: 'error',
    rule: 'sweep-config',
    message,
  });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new LabError(`${shownPath} is not valid YAML`, {
      diagnostics: [problem(e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : undefined, e.message.split('\n')[0]!)],
      exitCode: 2,
    });
  }
  const positions = collectKeyPositions(doc.contents, lineCounter, 0);
  const parsed = sweepConfigSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const diagnostics = parsed.error.issues.flatMap((i) => {
      if (i.code !== 'unrecognized_keys') return [problem(positionOf(positions, i.path as PropertyKey[]), `${i.path.join('.') || 'file'}: ${i.message}`)];
      return i.keys.map((k) => {
        const at = [...i.path, k] as PropertyKey[];
        const guess = closest(k, PARAMETER_KEYS);
        return problem(positionOf(positions, at), `${at.join('.')}: unknown key${guess ? ` (did you mean \`${guess}\`?)` : ''}`);
      });
    });
    throw new LabError(`${shownPath} is not a valid sweep file`, { diagnostics, exitCode: 2 });
  }
  const c = parsed.data;
  const params: SweepParam[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [key, p] of Object.entries(c.parameters)) {
    try {
      params.push(toParam(key, p));
    } catch (e) {
      diagnostics.push(problem(positionOf(positions, ['parameters', key]), `parameters.${key}: ${(e as Error).message}`));
    }
  }
  if (diagnostics.length) throw new LabError(`${shownPath} is not a valid sweep file`, { diagnostics, exitCode: 2 });
  return { method: c.method, metric: c.metric, params, n: c.run_cap ?? c.count, seed: c.seed, name: c.name };
}

function toParam(key: string, p: z.infer<typeof parameterSchema>): SweepParam {
  const path = key.split('.');
  const given = [p.value !== undefined, p.values !== undefined, p.min !== undefined || p.max !== undefined, p.expr !== undefined].filter(Boolean).length;
  if (given !== 1) throw new Error('give exactly one of value, values, min/max or expr');
  if (p.expr !== undefined) return { ...parseOverride(`${key}=${p.expr}`), key, path };
  if (p.value !== undefined) return { key, path, domain: { kind: 'value', value: p.value } };
  if (p.values !== undefined) return { key, path, domain: { kind: 'choice', values: p.values } };
  if (p.min === undefined || p.max === undefined) throw new Error('min and max go together');
  if (!(p.min < p.max)) throw new Error('min must be below max');
  const whole = Number.isInteger(p.min) && Number.isInteger(p.max);
  const dist = p.distribution ?? (whole ? 'int_uniform' : 'uniform');
  const log = dist === 'log_uniform_values' || dist === 'q_log_uniform_values';
  if (log && p.min <= 0) throw new Error('a log distribution needs min > 0');
  const q = dist.startsWith('q_') ? (p.q ?? 1) : null;
  if (dist === 'categorical' || dist === 'constant') throw new Error(`distribution ${dist} takes values/value, not min/max`);
  return { key, path, domain: { kind: 'interval', low: p.min, high: p.max, log, integer: dist === 'int_uniform', q } };
}
