/** `lab sweep` end to end: no duplicates (repeated, overlapping, hand-made, concurrent) and resuming a killed sweep. */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { InputsHasher } from '../../src/insights/inputs-hashes.ts';
import { createSweep } from '../../src/insights/sweep.ts';
import { parseOverride } from '../../src/insights/sweep-grammar.ts';
import { LAB, lab, makeWorkspace, PAGE } from '../runners/helpers.ts';

const BASE = `---
id: entry-base
title: Baseline render
type: command
tags: [baseline, render]
inputs:
  command: [sh, ./score.sh]
  parameters:
    cfg: 7
    sampler: euler
    seed: 42
---

The baseline every sweep varies.
`;

// Logs each start, optionally sleeps, then reports accuracy = 0.6 + 0.03·cfg.
const SCORE = `echo "$LAB_PARAM_CFG $LAB_PARAM_SAMPLER" >> "$RUNS_LOG"
sleep "\${SLEEP:-0}"
node -e 'require("fs").writeFileSync(process.env.LAB_METRICS_FILE, JSON.stringify({ accuracy: 0.6 + 0.03 * Number(process.env.LAB_PARAM_CFG) }))'
`;

async function journal(): Promise<string> {
  return makeWorkspace({ [`${PAGE}/001-baseline.md`]: BASE, [`${PAGE}/score.sh`]: SCORE });
}

async function sweep(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await lab(['sweep', 'entry-base', ...args, '--json'], root, { RUNS_LOG: path.join(root, 'runs.log'), ...env });
  if (r.code !== 0 && r.code !== 1) throw new Error(`lab sweep failed (${r.code}): ${r.stderr}`);
  return {
    ...r,
    report: JSON.parse(r.stdout) as {
      sweep: string;
      created: number;
      existing: number;
      points: { values: Record<string, unknown>; outcome: string; entry: string }[];
      results?: { outcome: string }[];
    },
  };
}

/** Inputs hash → entry ids, over every entry of the page. */
async function hashes(root: string): Promise<Map<string, string[]>> {
  const { index } = await compile(root);
  const hasher = new InputsHasher(root);
  const out = new Map<string, string[]>();
  for (const e of index.entries) {
    const h = await hasher.hash(e.source.path, e.inputs);
    out.set(h, [...(out.get(h) ?? []), e.id]);
  }
  return out;
}

describe('lab sweep', { timeout: 120_000 }, () => {
  it('creates a variation per point once: repeating, overlapping and hand-made points are not duplicated', async () => {
    const root = await journal();
    const dry = await sweep(root, ['-S', 'cfg=range(3,12,1.5)', '-S', 'sampler=euler,dpmpp_2m', '--dry-run']);
    expect(dry.report.points.map((p) => p.outcome)).toEqual(Array(12).fill('would-create'));
    expect((await fs.readdir(path.join(root, PAGE))).filter((n) => n.endsWith('.md'))).toHaveLength(1);

    const first = await sweep(root, ['-S', 'cfg=range(3,12,1.5)', '-S', 'sampler=euler,dpmpp_2m']);
    expect(first.report.created).toBe(12);
    expect(first.report.points[0]!.values).toEqual({ cfg: 3, sampler: 'euler' });
    const again = await sweep(root, ['-S', 'cfg=range(3,12,1.5)', '-S', 'sampler=euler,dpmpp_2m']);
    expect(again.report).toMatchObject({ sweep: first.report.sweep, created: 0, existing: 12 });
    expect(again.report.points.map((p) => p.entry)).toEqual(first.report.points.map((p) => p.entry));

    // A variation made by hand, then a sweep that overlaps the first one and includes the base point.
    const hand = await lab(['variation', 'entry-base', '--title', 'by hand', '--override', 'cfg=13.5', '--override', 'sampler=euler'], root);
    expect(hand.code).toBe(0);
    const overlap = await sweep(root, ['-S', 'cfg=range(6,15,1.5)', '-S', 'sampler=euler']);
    expect(overlap.report.points.map((p) => [p.values.cfg, p.outcome])).toEqual([
      [6, 'exists'],
      [7.5, 'exists'],
      [9, 'exists'],
      [10.5, 'exists'],
      [12, 'created'],
      [13.5, 'exists'],
    ]);
    const base = await sweep(root, ['-S', 'cfg=7', '-S', 'sampler=euler']);
    expect(base.report.points[0]).toMatchObject({ outcome: 'exists', entry: 'entry-base' });

    const all = await hashes(root);
    expect([...all.values()].filter((ids) => ids.length > 1)).toEqual([]);
    expect(all.size).toBe(1 + 12 + 1 + 1);

    // The variation records its sweep, names it in title and tags, and compiles cleanly.
    const created = first.report.points[0]!.entry;
    const text = await fs.readFile(path.join(root, (await compile(root)).index.entries.find((e) => e.id === created)!.source.path), 'utf8');
    expect(text).toContain(`sweep: ${first.report.sweep}\n`);
    expect(text).toContain(`title: cfg=3 sampler=euler (${first.report.sweep})`);
    expect(text).toMatch(new RegExp(`tags:\\n  - render\\n  - ${first.report.sweep}\\n`)); // not `baseline`
    const check = await lab(['check'], root);
    expect(check.stdout + check.stderr).not.toMatch(/error|unknown entry key/);
  });

  it('two sweeps started at once create each point once', async () => {
    const root = await journal();
    const [a, b] = await Promise.all([
      sweep(root, ['-S', 'cfg=range(1,9)', '-S', 'sampler=euler,heun']),
      sweep(root, ['-S', 'cfg=range(5,13)', '-S', 'sampler=euler,heun']),
    ]);
    // 1..12 × 2 samplers = 24 points; cfg=7/euler is the base.
    expect(a.report.created + b.report.created).toBe(23);
    expect(a.report.existing + b.report.existing).toBe(16 + 16 - 23);
    const all = await hashes(root);
    expect([...all.values()].filter((ids) => ids.length > 1)).toEqual([]);
    expect(all.size).toBe(24);
  });

  it('concurrent sweeps in one process (interleaved at every await) still create each point once', async () => {
    const root = await journal();
    const grid = (from: number, to: number) => [parseOverride(`cfg=range(${from},${to})`), parseOverride('sampler=euler,heun,dpm')];
    const reports = await Promise.all([
      createSweep({ root, base: 'entry-base', method: 'grid', params: grid(1, 10) }),
      createSweep({ root, base: 'entry-base', method: 'grid', params: grid(4, 13) }),
      createSweep({ root, base: 'entry-base', method: 'grid', params: grid(2, 8) }),
    ]);
    // cfg 1..12 × 3 samplers, minus the base (cfg 7, euler).
    expect(reports.reduce((n, r) => n + r.created, 0)).toBe(35);
    const all = await hashes(root);
    expect([...all.values()].filter((ids) => ids.length > 1)).toEqual([]);
    expect(all.size).toBe(36);
  });

  it('--config reads a W&B-style file; --run reports the best point by its metric; a bad file is located', async () => {
    const root = await journal();
    await fs.writeFile(
      path.join(root, 'sweep.yaml'),
      `# the next round
method: grid
metric: {name: accuracy, goal: maximize}
parameters:
  cfg:
    values: [3, 9]
  sampler:
    value: heun
`,
    );
    const r = await sweep(root, ['--config', 'sweep.yaml', '-S', 'seed=1,2', '--run']);
    expect(r.code).toBe(0);
    expect(r.report.points.map((p) => p.values)).toEqual([
      { cfg: 3, sampler: 'heun', seed: 1 },
      { cfg: 3, sampler: 'heun', seed: 2 },
      { cfg: 9, sampler: 'heun', seed: 1 },
      { cfg: 9, sampler: 'heun', seed: 2 },
    ]);
    const best = (r.report as unknown as { best: { value: number; values: { cfg: number } } }).best;
    expect(best.values.cfg).toBe(9);
    expect(best.value).toBeCloseTo(0.87, 6);
    await fs.writeFile(path.join(root, 'bad.yaml'), 'method: grid\nparameters:\n  cfg:\n    values: []\n');
    const bad = await lab(['sweep', 'entry-base', '--config', 'bad.yaml'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:4:5: error: parameters.cfg.values: needs at least one value');
  });

  it('--run is resumable: after a kill, only the points that did not complete run again', async () => {
    const root = await journal();
    const log = path.join(root, 'runs.log');
    const args = ['sweep', 'entry-base', '-S', 'cfg=3,4,5,6', '--run'];
    const child = spawn(process.execPath, [LAB, ...args], { cwd: root, env: { ...process.env, CI: '', RUNS_LOG: log, SLEEP: '0.6' }, stdio: 'ignore' });
    // Kill it (no chance to clean up) once the first point has completed.
    const deadline = Date.now() + 60_000;
    let done: string[] = [];
    while (Date.now() < deadline) {
      done = await completedPoints(root);
      if (done.length >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The point that was running when the runner died keeps its command (its own process group,
    // `sleep 0.6`) until it ends; a run before then is refused as a duplicate (see entry-lock.ts).
    await new Promise((r) => setTimeout(r, 1500));
    expect(done.length).toBeGreaterThanOrEqual(1);
    const before = await completedPoints(root);
    expect(before.length).toBeLessThan(4);
    const startsBefore = (await fs.readFile(log, 'utf8')).trim().split('\n');

    const resumed = await sweep(root, ['-S', 'cfg=3,4,5,6', '--run']);
    expect(resumed.report.created).toBe(0);
    expect(resumed.code).toBe(0);
    const outcomes = resumed.report.results!.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(before.length);
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(4 - before.length);
    expect(await completedPoints(root)).toHaveLength(4);
    // Every point that had completed before the kill ran exactly once in all.
    const starts = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(starts.length).toBe(startsBefore.length + 4 - before.length);
    const { index } = await compile(root);
    for (const id of before) {
      const cfg = String(
        index.entries.find((e) => e.id === id)!.inputs.parameters && (index.entries.find((e) => e.id === id)!.inputs.parameters as { cfg: number }).cfg,
      );
      expect(starts.filter((l) => l.startsWith(`${cfg} `))).toHaveLength(1);
    }
    const again = await sweep(root, ['-S', 'cfg=3,4,5,6', '--run']);
    expect(again.report.results!.every((r) => r.outcome === 'skipped')).toBe(true);
  });
});

/** Ids of sweep points whose file says `status: completed`. */
async function completedPoints(root: string): Promise<string[]> {
  const dir = path.join(root, PAGE);
  const out: string[] = [];
  for (const name of (await fs.readdir(dir)).sort()) {
    if (!name.endsWith('.md') || name.startsWith('001-')) continue;
    const text = await fs.readFile(path.join(dir, name), 'utf8').catch(() => '');
    if (/^status: completed$/m.test(text)) out.push(/^id: (.+)$/m.exec(text)![1]!);
  }
  return out;
}
