/** Runs table and charts: what varies, which entry is best and by how much, charts that are accessible and small. */
import { describe, expect, test } from 'vitest';
import { MAX_POINTS, runsCharts } from '../../src/site/charts.ts';
import { csvRows } from '../../src/site/format.ts';
import { runsCsv, runsTable, winMargin } from '../../src/site/runs.ts';
import type { SiteEntry } from '../../src/site/types.ts';

function entry(i: number, inputs: Record<string, unknown>, metrics: Record<string, unknown>, rating: number | null = null): SiteEntry {
  return {
    id: `entry-${String(i).padStart(12, '0')}`,
    title: `Run ${i}`,
    page_id: 'page-p',
    notebook_id: 'nb-n',
    type: 'command',
    status: 'completed',
    created: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
    inputs,
    metrics,
    outputs: {},
    execution: null,
    metadata: { tags: [], notes: '', rating, archived: null },
  } as unknown as SiteEntry;
}

const sweep = [
  entry(
    1,
    { command: 'train.py', env: { LR: '0.001' }, parameters: { lr: 0.001, optimizer: 'adam', seed: 1 }, server: 'http://gpu:1' },
    { loss: 0.52, accuracy: 0.81 },
    3,
  ),
  entry(
    2,
    { command: 'train.py', env: { LR: '0.01' }, parameters: { lr: 0.01, optimizer: 'sgd', seed: 1 }, server: 'http://gpu:1' },
    { loss: 0.41, accuracy: 0.86 },
    4,
  ),
  entry(
    3,
    { command: 'train.py', env: { LR: '0.1' }, parameters: { lr: 0.1, optimizer: 'adam', seed: 1 }, server: 'http://gpu:2' },
    { loss: 0.77, accuracy: 0.7 },
    2,
  ),
];

describe('runs table', () => {
  const table = runsTable(sweep, { loss: 'lower', accuracy: 'higher' });

  test('varying parameters are shown, constant and where-it-ran keys are not', () => {
    const shown = table.params.filter((p) => p.shown).map((p) => p.key);
    expect(shown).toEqual(['env.LR', 'parameters.lr', 'parameters.optimizer']);
    expect(table.params.find((p) => p.key === 'parameters.seed')).toMatchObject({ varying: false, shown: false });
    expect(table.params.some((p) => p.key === 'server')).toBe(false);
    // 0.001 → 0.1 spans two decades: a log axis; `LR: "0.01"` written as text is still a number.
    expect(table.params.find((p) => p.key === 'parameters.lr')).toMatchObject({ numeric: true, log: true });
    expect(table.params.find((p) => p.key === 'env.LR')).toMatchObject({ numeric: true, log: true });
  });

  test('directed metrics first, the best entry marked, and the margin over the runner-up', () => {
    expect(table.metrics.map((m) => [m.key, m.direction, m.best])).toEqual([
      ['accuracy', 'higher', ['entry-000000000002']],
      ['loss', 'lower', ['entry-000000000002']],
    ]);
    const loss = table.winners.find((w) => w.metric === 'loss')!;
    expect(loss.best.title).toBe('Run 2');
    expect(loss.runnerUp?.row.title).toBe('Run 1');
    expect(winMargin(loss)).toBe('0.110 (21.2%)');
    expect(table.winners.find((w) => w.metric === 'rating')).toMatchObject({ value: 4, runnerUp: { value: 3 } });
  });

  test('CSV has every parameter and metric and reads back', () => {
    const rows = csvRows(runsCsv(table));
    expect(rows[0]).toContain('parameters.seed');
    expect(rows[0]!.slice(-2)).toEqual(['accuracy', 'loss']);
    expect(rows).toHaveLength(4);
    expect(rows[2]![rows[0]!.indexOf('loss')]).toBe('0.41');
  });

  test('without directions nothing is called best', () => {
    const plain = runsTable(sweep);
    expect(plain.metrics.every((m) => m.best.length === 0)).toBe(true);
    expect(plain.winners.map((w) => w.metric)).toEqual(['rating']);
  });
});

describe('charts', () => {
  test('accessible SVG: an image with a title and a description that names the best entry', async () => {
    const charts = await runsCharts(runsTable(sweep, { loss: 'lower', accuracy: 'higher' }), 'c');
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const c of charts) {
      expect(c.svg).toMatch(/^<svg role="img" aria-labelledby="c-[\w-]+-t c-[\w-]+-d"/);
      expect(c.svg).toContain(`<title id=`);
      expect(c.svg).toContain(`<desc id=`);
      expect(c.svg).not.toContain('<script');
    }
    const scatter = charts.find((c) => c.kind === 'scatter')!;
    expect(scatter.description).toContain('log axis');
    expect(scatter.description).toContain('Best: Run 2');
    expect(charts.some((c) => c.kind === 'parallel')).toBe(true);
  });

  test('categorical values are sorted along the axis', async () => {
    const cats = ['zeta', 'alpha', 'mid'].map((o, i) => entry(i, { parameters: { optimizer: o } }, { loss: i }));
    const [chart] = await runsCharts(runsTable(cats, { loss: 'lower' }), 'k');
    const at = (label: string) => chart!.svg.indexOf(`>${label}</text>`);
    expect(at('alpha')).toBeGreaterThan(0);
    expect(at('alpha')).toBeLessThan(at('mid'));
    expect(at('mid')).toBeLessThan(at('zeta'));
  });

  test('10,000 entries: every chart under 300 KB, sampled, and saying so', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      entry(i, { parameters: { lr: 10 ** (-4 + (i % 400) / 100), batch: 2 ** (i % 7) } }, { loss: 1 / (1 + (i % 97)), accuracy: (i % 89) / 89 }),
    );
    const charts = await runsCharts(runsTable(many, { loss: 'lower', accuracy: 'higher' }), 'big');
    expect(charts.length).toBeGreaterThan(1);
    for (const c of charts) {
      expect(Buffer.byteLength(c.svg)).toBeLessThan(300 * 1024);
      expect(c.total).toBe(10_000);
      expect(c.drawn).toBeLessThanOrEqual(MAX_POINTS + 20);
      expect(c.description).toMatch(/sample of \d+ of 10000 entries/);
    }
  }, 60_000);
});
