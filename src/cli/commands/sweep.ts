/** `lab sweep`: variations of an entry over a grid or random points, without duplicates; optionally run them. */
import path from 'node:path';
import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { rel, str, strings, table } from '../util.ts';

export const command: Command = {
  summary: 'create (and run) variations of an entry over a parameter sweep',
  help: `Usage: lab sweep <entry> -S key=values … [--method grid|random --n N --seed S]
                 [--config sweep.yaml] [--name NAME] [--run [-j N]] [--dry-run] [--json]

Creates one variation of <entry> per point (in its page; title and tags name the sweep,
\`sweep:\` records its id). Points are keyed by inputs hash: a point that already exists —
from an earlier run of the same sweep, an overlapping sweep, a hand-made variation —
is listed, not created again, and two sweeps started at once take turns.

-S uses Hydra's override grammar (bare keys go to inputs.parameters, as in lab variation):
  -S 'sampler=euler,dpmpp_2m'       choice (also choice(euler,dpmpp_2m))
  -S 'cfg=range(3,12,1.5)'          3, 4.5, 6, 7.5, 9, 10.5 — stop is exclusive
  -S 'lr=interval(0.001,0.1)'       random sweeps only; tag(log,interval(…)) samples log-uniformly
  -S 'steps=30'                     a fixed override for every point

Options:
  -S, --set <key=values>  a swept (or fixed) key; repeat for more
  --method grid|random    grid: every combination (default); random: --n seeded draws
  --n <N>                 random: number of points (default 10)
  --seed <S>              random: generator seed (default 0); the same seed gives the same points
  --config <file>         a W&B-style sweep file (method, parameters with values/value/min/max/
                          distribution, metric {name, goal}, run_cap, seed); -S adds or replaces keys
  --name <name>           sweep id sweep-<name> (default: derived from the entry and the spec)
  --run                   run the points that have not completed (resumable: after a kill, run
                          again and only missing or failed points run)
  -j, --jobs <n>          with --run: points at once (default 1)
  --dry-run               list the points and which exist; write nothing
  --json                  print the sweep (and run results) as JSON`,
  options: {
    set: { type: 'string', short: 'S', multiple: true },
    method: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
    config: { type: 'string' },
    name: { type: 'string' },
    run: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    'dry-run': { type: 'boolean' },
  },
  json: true,
  async run(args, global) {
    if (args.positionals.length !== 1) throw new UsageError('name one entry to sweep (id or path)');
    const [{ parseOverride }, { readSweepConfig }, { bestPoint, createSweep, pointFiles }, { findWorkspaceRoot }] = await Promise.all([
      import('../../insights/sweep-grammar.ts'),
      import('../../insights/sweep-config.ts'),
      import('../../insights/sweep.ts'),
      import('../../sdk/workspace.ts'),
    ]);
    const root = findWorkspaceRoot(global.cwd);
    const configFile = str(args, 'config');
    const config = configFile ? await readSweepConfig(path.resolve(global.cwd, configFile), rel(root, path.resolve(global.cwd, configFile))) : undefined;
    const params = [...(config?.params ?? [])];
    for (const text of strings(args, 'set')) {
      const p = parseOverride(text);
      const i = params.findIndex((x) => x.key === p.key);
      if (i >= 0) params[i] = p;
      else params.push(p);
    }
    const method = (str(args, 'method') ?? config?.method ?? (params.some((p) => p.domain.kind === 'interval') ? 'random' : 'grid')) as string;
    if (method !== 'grid' && method !== 'random') throw new UsageError(`--method must be grid or random, got '${method}'`);
    const n = whole(str(args, 'n'), '--n') ?? config?.n;
    const seed = whole(str(args, 'seed'), '--seed', true) ?? config?.seed;
    if (method === 'grid' && (str(args, 'n') || str(args, 'seed'))) throw new UsageError('--n and --seed are for --method random');
    const jobs = whole(str(args, 'jobs'), '-j') ?? 1;
    const dryRun = Boolean(args.values['dry-run']);
    if (dryRun && args.values.run) throw new UsageError('--dry-run and --run do not go together');

    const report = await createSweep({
      root,
      cwd: global.cwd,
      base: args.positionals[0]!,
      params,
      method,
      n,
      seed,
      name: str(args, 'name') ?? config?.name,
      dryRun,
    });
    const rows = report.points.map((p) => [
      Object.entries(p.values)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' '),
      p.outcome,
      p.entry ?? '',
      p.status ?? '',
    ]);
    const lines = [
      `${report.sweep}: ${report.points.length} point(s) of ${report.base} (${report.method}${report.seed !== null ? `, seed ${report.seed}` : ''}) — ` +
        (dryRun
          ? `${report.points.length - report.existing} would be created, ${report.existing} already exist`
          : `${report.created} created, ${report.existing} already existed`),
      table([['POINT', 'OUTCOME', 'ENTRY', 'STATUS'], ...rows]),
    ];
    if (!args.values.run) return { data: { ...report, metric: config?.metric ?? null }, text: lines.join('\n') };

    const [{ runMany }, { TerminalReporter, summaryTable }] = await Promise.all([import('../../runners/run-many.ts'), import('../../runners/terminal.ts')]);
    const files = pointFiles(root, report);
    const reporter = new TerminalReporter({
      err: process.stderr,
      out: global.json ? process.stderr : process.stdout,
      parallel: jobs > 1 && files.length > 1,
      interactive: Boolean(process.stderr.isTTY) && !process.env.CI && !global.json,
    });
    // Completed points are skipped; failed, interrupted and never-run ones (and those a killed sweep left `running`) run.
    const results = await runMany(files, { root, jobs, broad: true, reporter });
    const bad = results.some((r) => !['completed', 'skipped'].includes(r.outcome));
    lines.push('', summaryTable(results));
    const best = config?.metric ? await bestPoint(root, report, config.metric) : null;
    if (best && config?.metric) {
      lines.push(
        `best ${config.metric.name} (${config.metric.goal}): ${best.value} in ${best.entry} (${Object.entries(best.values)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')})`,
      );
    }
    return { data: { ...report, metric: config?.metric ?? null, results, best }, text: lines.join('\n'), exitCode: bad ? 1 : 0 };
  },
};

function whole(v: string | undefined, name: string, allowZero = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new UsageError(`${name} needs a whole number${allowZero ? '' : ' of at least 1'}, got '${v}'`);
  return n;
}
