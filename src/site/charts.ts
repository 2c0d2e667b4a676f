/**
 * Charts of a runs table, drawn at build time: Vega-Lite specs rendered to SVG strings by Vega in
 * Node (no browser, no client JavaScript). Each chart is an accessible image — `role="img"` with a
 * `<title>` and a `<desc>` that states what is plotted and which entry is best — and the page puts
 * the same numbers next to it in the runs table. Past MAX_POINTS entries a chart shows an even
 * sample (always keeping the best entries) and says so, which keeps a chart under ~300 KB.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { asNumber, type ParamColumn, type RunRow, type RunsTable } from './runs.ts';

export interface Chart {
  kind: 'scatter' | 'parallel';
  /** Short visible title. */
  title: string;
  /** What the chart shows, in words (also the SVG's `<desc>`). */
  description: string;
  /** The rendered SVG element, safe to inline (built from numbers and escaped text only). */
  svg: string;
  /** Points drawn / entries in the table: sampled when smaller. */
  drawn: number;
  total: number;
}

export const MAX_POINTS = 1000;
/** Each chart costs tens of milliseconds to draw at build time; the parallel coordinates show every metric anyway. */
const MAX_SCATTERS = 3;
const OTHER = '#6366f1';
const BEST = '#e8590c';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/** The charts for a runs table: metric (or rating) against each varying parameter, then parallel coordinates. */
export async function runsCharts(table: RunsTable, idPrefix: string, cacheDir?: string): Promise<Chart[]> {
  cache = cacheDir;
  const xs = table.params.filter((p) => p.shown).slice(0, 3);
  const ys = [
    ...table.metrics
      .filter((m) => table.rows.filter((r) => typeof r.metrics[m.key] === 'number').length > 1)
      .map((m) => ({ key: m.key, direction: m.direction, of: (r: RunRow) => r.metrics[m.key] })),
    ...(table.bestRating != null ? [{ key: 'rating', direction: 'higher' as const, of: (r: RunRow) => r.rating }] : []),
  ].slice(0, 2);
  const charts: Chart[] = [];
  outer: for (const y of ys) {
    for (const x of xs) {
      if (charts.length >= MAX_SCATTERS) break outer;
      const chart = await scatter(table, x, y, `${idPrefix}-${charts.length}`);
      if (chart) charts.push(chart);
    }
  }
  const parallel = await parallelCoordinates(table, `${idPrefix}-pc`);
  if (parallel) charts.push(parallel);
  return charts;
}

interface Series {
  key: string;
  direction: 'higher' | 'lower' | null;
  of: (r: RunRow) => unknown;
}

/** Keeps every `step`-th row and (up to 20 of) the best rows, so a 10,000-entry notebook still draws a small chart. */
function sample<T extends { best: boolean }>(points: T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * step)]!);
  const kept = new Set(out);
  let extra = 0;
  for (const p of points) {
    if (extra >= 20) break;
    if (p.best && !kept.has(p)) {
      out.push(p);
      extra++;
    }
  }
  return out;
}

async function scatter(table: RunsTable, x: ParamColumn, y: Series, id: string): Promise<Chart | null> {
  const all = table.rows.map((r) => ({ r, xv: r.params[x.key], yv: asNumber(y.of(r)) })).filter((p) => p.xv !== undefined && p.yv !== null);
  // A parameter that does not vary among the entries that have this metric explains nothing here.
  if (all.length < 2 || new Set(all.map((p) => JSON.stringify(p.xv))).size < 2) return null;
  const values = all.map((p) => p.yv!);
  const top = y.direction === 'lower' ? Math.min(...values) : Math.max(...values);
  const points = all.map((p) => ({
    x: x.numeric ? asNumber(p.xv)! : typeof p.xv === 'string' ? p.xv : JSON.stringify(p.xv),
    y: p.yv!,
    entry: p.r.title,
    best: y.direction !== null && p.yv === top,
  }));
  const drawn = sample(points);
  const categories = x.numeric ? [] : [...new Set(drawn.map((p) => String(p.x)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const bestPoint = points.find((p) => p.best);
  const title = `${y.key} by ${x.key}`;
  const description =
    `Scatter plot of ${y.key}${y.direction ? ` (${y.direction} is better)` : ''} against ${x.key}${x.log ? ' on a log axis' : ''}, ` +
    `${drawn.length === points.length ? `${points.length} entries` : `an even sample of ${drawn.length} of ${points.length} entries`}.` +
    (bestPoint ? ` Best: ${bestPoint.entry}, ${x.key} ${bestPoint.x}, ${y.key} ${bestPoint.y}.` : '');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 300,
    height: 180,
    data: { values: drawn.map((p) => ({ ...p, group: p.best ? 'best' : 'other' })) },
    mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
    encoding: {
      x: x.numeric
        ? { field: 'x', type: 'quantitative', title: x.key, scale: x.log ? { type: 'log' } : { zero: false, nice: true } }
        : { field: 'x', type: 'ordinal', title: x.key, sort: categories, axis: { labelLimit: 90, labelAngle: categories.length > 4 ? -40 : 0 } },
      y: { field: 'y', type: 'quantitative', title: y.key, scale: { zero: false, nice: true } },
      color: {
        field: 'group',
        type: 'nominal',
        scale: { domain: ['best', 'other'], range: [BEST, OTHER] },
        legend: bestPoint ? { title: null, orient: 'bottom' } : null,
      },
      shape: { field: 'group', type: 'nominal', scale: { domain: ['best', 'other'], range: ['diamond', 'circle'] } },
    },
  };
  return { kind: 'scatter', title, description, svg: await render(spec, id, title, description), drawn: drawn.length, total: points.length };
}

/** Parallel coordinates over the varying numeric parameters and the numeric metrics, each axis scaled to its own range. */
async function parallelCoordinates(table: RunsTable, id: string): Promise<Chart | null> {
  const dims: { key: string; of: (r: RunRow) => number | null }[] = [
    ...table.params.filter((p) => p.shown && p.numeric).map((p) => ({ key: p.key, of: (r: RunRow) => asNumber(r.params[p.key]) })),
    ...table.metrics.map((m) => ({ key: m.key, of: (r: RunRow) => asNumber(r.metrics[m.key]) })),
    ...(table.bestRating != null ? [{ key: 'rating', of: (r: RunRow) => r.rating }] : []),
  ];
  const complete = (keys: typeof dims) => table.rows.filter((r) => keys.every((d) => d.of(r) !== null));
  // Only dimensions most entries have: one sparse metric would otherwise empty the chart.
  // and only dimensions that vary: a constant axis is a flat line through every entry.
  const used = dims
    .filter((d) => {
      const present = table.rows.map((r) => d.of(r)).filter((v) => v !== null);
      return present.length >= Math.max(2, table.rows.length / 2) && new Set(present).size > 1;
    })
    .slice(0, 8);
  const rows = complete(used);
  if (used.length < 3 || rows.length < 2) return null;
  const firstWinner = table.winners[0];
  const points = rows.map((r, i) => ({ i, entry: r.title, best: firstWinner?.best.id === r.id, r }));
  // A line per entry costs more than a point: half as many.
  const drawn = sample(points, MAX_POINTS / 2);
  const values = drawn.flatMap((p) => used.map((d) => ({ index: p.i, entry: p.entry, group: p.best ? 'best' : 'other', key: d.key, value: d.of(p.r)! })));
  const order = used.map((d) => d.key);
  const title = `Parallel coordinates: ${order.join(', ')}`;
  const description =
    `Parallel coordinates of ${order.join(', ')}; each line is one entry, each axis runs from its own minimum (bottom) to maximum (top). ` +
    `${drawn.length === points.length ? `${points.length} entries` : `An even sample of ${drawn.length} of ${points.length} entries`}.` +
    (firstWinner && points.some((p) => p.best) ? ` Highlighted: ${firstWinner.best.title}, best by ${firstWinner.metric}.` : '');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(300, 110 * order.length),
    height: 200,
    data: { values },
    transform: [
      {
        joinaggregate: [
          { op: 'min', field: 'value', as: 'min' },
          { op: 'max', field: 'value', as: 'max' },
        ],
        groupby: ['key'],
      },
      { calculate: 'datum.max == datum.min ? 0.5 : (datum.value - datum.min) / (datum.max - datum.min)', as: 'norm' },
    ],
    layer: [
      {
        mark: { type: 'rule', color: '#9ca3af' },
        encoding: { detail: { aggregate: 'count' }, x: { field: 'key', type: 'nominal', sort: order, title: null } },
      },
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'key', type: 'nominal', sort: order, title: null, axis: { labelAngle: 0, labelLimit: 110, orient: 'bottom' } },
          y: { field: 'norm', type: 'quantitative', axis: null },
          detail: { field: 'index', type: 'nominal' },
          color: {
            field: 'group',
            type: 'nominal',
            scale: { domain: ['best', 'other'], range: [BEST, OTHER] },
            legend: points.some((p) => p.best) ? { title: null, orient: 'bottom' } : null,
          },
          opacity: { condition: { test: "datum.group == 'best'", value: 1 }, value: drawn.length > 50 ? 0.25 : 0.6 },
        },
      },
      {
        transform: [
          {
            aggregate: [
              { op: 'min', field: 'min', as: 'lo' },
              { op: 'max', field: 'max', as: 'hi' },
            ],
            groupby: ['key'],
          },
        ],
        layer: [
          {
            mark: { type: 'text', dx: 4, align: 'left', baseline: 'top', style: 'range-label' },
            encoding: { x: { field: 'key', type: 'nominal', sort: order }, y: { value: 0 }, text: { field: 'hi', type: 'quantitative', format: '.3~g' } },
          },
          {
            mark: { type: 'text', dx: 4, align: 'left', baseline: 'bottom', style: 'range-label' },
            encoding: { x: { field: 'key', type: 'nominal', sort: order }, y: { value: 200 }, text: { field: 'lo', type: 'quantitative', format: '.3~g' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
  return { kind: 'parallel', title, description, svg: await render(spec, id, title, description), drawn: drawn.length, total: points.length };
}

const CONFIG = {
  background: 'transparent',
  font: 'system-ui, sans-serif',
  view: { stroke: null },
  axis: {
    labelColor: '#5f6168',
    titleColor: '#1c1d21',
    gridColor: '#e2e1dc',
    domainColor: '#8b8d94',
    tickColor: '#8b8d94',
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
  },
  legend: { labelColor: '#5f6168', labelFontSize: 11 },
  style: { 'range-label': { fontSize: 10, fill: '#5f6168' } },
};

/** Where a workspace keeps its rendered charts between builds. */
export function chartCacheDir(root: string): string {
  return path.join(root, '.lab', 'cache', 'charts');
}

/** Where rendered charts are kept between builds (`.lab/cache/charts/`); none in tests. */
let cache: string | undefined;

/** Renders a Vega-Lite spec to an accessible SVG string; the same chart is read from the cache. */
async function render(spec: TopLevelSpec, id: string, title: string, description: string): Promise<string> {
  const key = cache
    ? createHash('sha256')
        .update(JSON.stringify([RENDER_VERSION, spec, id, title, description]))
        .digest('hex')
    : null;
  const file = key ? path.join(cache!, key.slice(0, 2), `${key}.svg`) : null;
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      /* not rendered yet */
    }
  }
  const svg = await renderNow(spec, id, title, description);
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    // Both build threads may draw the same chart at once: each writes its own temp file.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, svg);
    renameSync(tmp, file);
  }
  return svg;
}

/** Bumped when the SVG post-processing changes, so cached charts are drawn again. */
const RENDER_VERSION = 1;

async function renderNow(spec: TopLevelSpec, id: string, title: string, description: string): Promise<string> {
  const vgSpec = compile({ ...spec, config: CONFIG } as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  let svg = await view.toSVG();
  view.finalize();
  // The root becomes one image with a name and a description; Vega's own per-mark ARIA roles
  // inside it would otherwise be announced piece by piece.
  svg = svg
    .replace(/^<svg /, `<svg role="img" aria-labelledby="${id}-t ${id}-d" focusable="false" `)
    .replace(/^(<svg[^>]*>)/, `$1<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(description)}</desc>`)
    .replace(/ (role|aria-roledescription|aria-label)="[^"]*"(?=[^<]*>)/g, (m, attr: string, offset: number) => (offset < 200 ? m : ''))
    // Vega writes coordinates to 15 digits; a tenth of a pixel is plenty and halves the size.
    .replace(/ (d|transform|x|y|x1|x2|y1|y2)="([^"]*)"/g, (_m, attr: string, value: string) => ` ${attr}="${value.replace(/(\d+\.\d)\d+/g, '$1')}"`);
  return svg;
}
