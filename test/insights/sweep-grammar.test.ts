/** Sweep overrides against Hydra's documented semantics, and the W&B-style sweep file. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, LabError } from '../../src/core/diagnostics.ts';
import { parseSweepConfig } from '../../src/insights/sweep-config.ts';
import { parseOverride, rangeValues } from '../../src/insights/sweep-grammar.ts';
import { expandPoints } from '../../src/insights/sweep-points.ts';

const values = (text: string) => {
  const d = parseOverride(text).domain;
  return d.kind === 'choice' || d.kind === 'range' ? d.values : d.kind === 'value' ? [d.value] : d;
};

describe('Hydra override grammar', () => {
  it('range(start, stop[, step]): r[i] = start + step·i, stop exclusive, floats and negative steps', () => {
    // The examples of Hydra's "Extended Override syntax" page.
    expect(rangeValues(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(rangeValues(0, 5, 2)).toEqual([0, 2, 4]);
    expect(rangeValues(0, 10, 3.3)).toEqual([0, 3.3, 6.6, 9.9]);
    expect(values('cfg=range(3,12,1.5)')).toEqual([3, 4.5, 6, 7.5, 9, 10.5]);
    expect(values('x=range(5,0,-1)')).toEqual([5, 4, 3, 2, 1]);
    expect(values('x=range(0,1,0.1)')).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(values('x=range(start=1,stop=4)')).toEqual([1, 2, 3]);
    expect(() => rangeValues(1, 1)).toThrow(/empty/);
    expect(() => rangeValues(0, 5, 0)).toThrow(/non-zero/);
    expect(() => rangeValues(5, 0)).toThrow(/empty/);
  });

  it('choice: a,b or choice(a,b); values typed as YAML scalars; quotes keep commas', () => {
    expect(values('sampler=euler,dpmpp_2m')).toEqual(['euler', 'dpmpp_2m']);
    expect(values('sampler=choice(euler, dpmpp_2m)')).toEqual(['euler', 'dpmpp_2m']);
    expect(values('x=1,2.5,true,007')).toEqual([1, 2.5, true, 7]);
    expect(values(`x='007',"a,b"`)).toEqual(['007', 'a,b']);
    expect(values('steps=30')).toEqual([30]);
    expect(() => parseOverride('x=1,,2')).toThrow(/empty value/);
    expect(() => parseOverride('noequals')).toThrow(/key=values/);
    expect(() => parseOverride('x=glob(*)')).toThrow(/not supported/);
  });

  it('interval and tag(log, interval): random only', () => {
    expect(parseOverride('lr=interval(0.001,0.1)').domain).toEqual({ kind: 'interval', low: 0.001, high: 0.1, log: false, integer: false, q: null });
    expect(parseOverride('lr=tag(log, interval(0.001,0.1))').domain).toMatchObject({ kind: 'interval', log: true });
    expect(() => parseOverride('lr=interval(2,1)')).toThrow(/low < high/);
    expect(() => expandPoints([parseOverride('lr=interval(0,1)')], { method: 'grid' })).toThrow(/grid cannot enumerate/);
  });

  it('grid: every combination, last key fastest, fixed keys on every point, repeated values once', () => {
    const points = expandPoints([parseOverride('cfg=range(3,9,3)'), parseOverride('sampler=euler,dpmpp_2m'), parseOverride('steps=30')], { method: 'grid' });
    expect(points.map((p) => p.map((x) => x.value))).toEqual([
      [3, 'euler', 30],
      [3, 'dpmpp_2m', 30],
      [6, 'euler', 30],
      [6, 'dpmpp_2m', 30],
    ]);
    expect(expandPoints([parseOverride('x=1,1,2')], { method: 'grid' })).toHaveLength(2);
    expect(() => expandPoints([parseOverride('x=1,2'), parseOverride('x=3')], { method: 'grid' })).toThrow(/swept twice/);
  });

  it('random: reproducible by seed, distinct points, inside the domain', () => {
    const params = [parseOverride('lr=tag(log,interval(0.0001,0.1))'), parseOverride('sampler=euler,dpmpp_2m'), parseOverride('steps=range(10,50,10)')];
    const a = expandPoints(params, { method: 'random', n: 8, seed: 3 });
    expect(expandPoints(params, { method: 'random', n: 8, seed: 3 })).toEqual(a);
    expect(expandPoints(params, { method: 'random', n: 8, seed: 4 })).not.toEqual(a);
    expect(a).toHaveLength(8);
    expect(new Set(a.map((p) => JSON.stringify(p.map((x) => x.value)))).size).toBe(8);
    for (const p of a) {
      expect(p[0]!.value as number).toBeGreaterThanOrEqual(0.0001);
      expect(p[0]!.value as number).toBeLessThan(0.1);
      expect([10, 20, 30, 40]).toContain(p[2]!.value);
    }
    // A space smaller than n gives each point once.
    expect(expandPoints([parseOverride('x=a,b')], { method: 'random', n: 5 })).toHaveLength(2);
  });
});

describe('W&B-style sweep file', () => {
  it('reads method, metric, parameters (values, value, min/max with distributions, expr), run_cap and seed', () => {
    const c = parseSweepConfig(
      `# next round for the lake page
method: random
metric:
  name: accuracy
  goal: maximize
parameters:
  cfg:
    values: [4.5, 7, 9.5]
  sampler:
    value: euler
  steps:
    min: 20
    max: 40
  lr:
    min: 0.0001
    max: 0.1
    distribution: log_uniform_values
  denoise:
    expr: range(0.5,1,0.25)
run_cap: 6
seed: 11
`,
      'sweep.yaml',
    );
    expect(c.method).toBe('random');
    expect(c.metric).toEqual({ name: 'accuracy', goal: 'maximize' });
    expect(c.n).toBe(6);
    expect(c.seed).toBe(11);
    expect(c.params.map((p) => [p.key, p.domain.kind])).toEqual([
      ['cfg', 'choice'],
      ['sampler', 'value'],
      ['steps', 'interval'],
      ['lr', 'interval'],
      ['denoise', 'range'],
    ]);
    const points = expandPoints(c.params, { method: 'random', n: 6, seed: 11 });
    for (const p of points) {
      const steps = p.find((x) => x.key === 'steps')!.value as number;
      expect(Number.isInteger(steps) && steps >= 20 && steps <= 40).toBe(true);
    }
  });

  it('reports problems as path:line:col at the offending key', () => {
    const text = `method: bayes\nparameters:\n  cfg:\n    vals: [1, 2]\n  lr:\n    min: 1\n    max: 0.5\n`;
    let error: LabError | undefined;
    try {
      parseSweepConfig(text, 'sweeps/next.yaml');
    } catch (e) {
      error = e as LabError;
    }
    expect(error).toBeInstanceOf(LabError);
    const lines = error!.diagnostics.map(formatDiagnostic);
    expect(lines).toContain('sweeps/next.yaml:1:1: error: method: must be grid or random (bayes is not supported)');
    expect(lines).toContain('sweeps/next.yaml:4:5: error: parameters.cfg.vals: unknown key (did you mean `value`?)');
    let second: LabError | undefined;
    try {
      parseSweepConfig(`parameters:\n  lr:\n    min: 1\n    max: 0.5\n`, 'next.yaml');
    } catch (e) {
      second = e as LabError;
    }
    expect(second!.diagnostics.map(formatDiagnostic)).toEqual(['next.yaml:2:3: error: parameters.lr: min must be below max']);
  });
});
