/** `lab run` (and `npm run run-entry`): execute entries and write their results back. */
import path from 'node:path';
import { displayPath, LabError, UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'execute entries and write results back',
  help: `Usage: lab run <entry id | path …> [options]
       lab run --all | --stale | --page <page> | --notebook <nb> [options]

Runs each entry's integration (manual, command, http, sql, comfyui, jupyter, or a
registered one) and writes status, execution, outputs, metrics, artifacts and logs
back into the entry file; nothing else in the file changes. Artifacts and logs go
to content/blobs/. A completed entry is not run again unless --force; one whose
inputs changed since (stale) is re-run by --stale.

Options:
  --all              every entry that has not completed (stale ones need --stale)
  --stale            completed entries whose inputs changed since they ran
  --page <page>      entries of one page (id, slug or title)
  --notebook <nb>    entries of one notebook
  -j, --jobs <n>     run n entries at once (default 1)
  --force            run even if completed; stop a command left running by a killed
                     run of the entry; break a lock held on another host
  --timeout <time>   stop each run after this long (e.g. 90s, 10m, 1h); kills its process tree
  --dry-run          check the entries and show what would run; write nothing
  --json             print the results as JSON (live logs then go to stderr)

Ctrl-C (or SIGTERM, SIGHUP) marks running entries interrupted and keeps their partial logs.
One run per entry at a time (a lock in .lab/locks/). Each log stream keeps its first and
last 2 MiB (LAB_LOG_LIMIT, e.g. 16m, sets the total); the full byte count is recorded.
Exit code 130 after an interruption, else 1 if any entry failed, was refused or could not be read.`,
  json: true,
  options: {
    all: { type: 'boolean' },
    stale: { type: 'boolean' },
    page: { type: 'string' },
    notebook: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    force: { type: 'boolean' },
    timeout: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(args, global) {
    // `npm run run-entry -- <path>` runs in the package folder; paths were typed relative to where npm was started.
    if (process.env.npm_lifecycle_event === 'run-entry' && process.env.INIT_CWD && global.cwd === process.cwd()) {
      global = { ...global, cwd: process.env.INIT_CWD };
    }
    const v = args.values as Record<string, string | boolean | undefined>;
    const jobs = v.jobs === undefined ? 1 : Number(v.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`-j needs a whole number of at least 1, got '${v.jobs}'`);
    // Loaded together: the module loader reads these files concurrently, which matters for short runs.
    const [{ parseDuration }, { findRoot }, { selectEntries }, { runMany }, { TerminalReporter, summaryTable }] = await Promise.all([
      import('../../runners/duration.ts'),
      import('../../runners/entry-file.ts'),
      import('../../runners/select.ts'),
      import('../../runners/run-many.ts'),
      import('../../runners/terminal.ts'),
    ]);
    const timeoutMs = typeof v.timeout === 'string' ? parseDuration(v.timeout, '--timeout') : undefined;
    const first = args.positionals.find((p) => /\.(md|org)$/i.test(p));
    const root = findRoot(first ? path.dirname(path.resolve(global.cwd, first)) : global.cwd);
    const broad = Boolean(v.all || v.page || v.notebook);
    const files = await selectEntries(root, global.cwd, {
      refs: args.positionals,
      all: Boolean(v.all),
      stale: Boolean(v.stale),
      page: v.page as string | undefined,
      notebook: v.notebook as string | undefined,
    });

    const interactive = Boolean(process.stderr.isTTY) && !process.env.CI && !global.json;
    const reporter = new TerminalReporter({
      err: process.stderr,
      out: global.json ? process.stderr : process.stdout,
      parallel: jobs > 1 && files.length > 1,
      interactive,
    });
    const single = files.length === 1 && !broad && !v.stale;
    const results = await runMany(files, {
      root,
      jobs,
      force: Boolean(v.force),
      stale: Boolean(v.stale),
      broad,
      dryRun: Boolean(v['dry-run']),
      timeoutMs,
      reporter,
      onError: (message, diagnostics) => {
        if (single) return;
        for (const d of diagnostics) process.stderr.write(`  ${displayPath(d.file)}:${d.line}:${d.column}: ${d.message}\n`);
        process.stderr.write(`✖ ${message}\n`);
      },
    });
    // One entry that could not even start: a plain one-line error, like every other command.
    if (single && results[0]?.outcome === 'error') throw new LabError(results[0].message ?? 'failed', { diagnostics: results[0].diagnostics });
    const bad = results.some((r) => !['completed', 'skipped', 'dry-run'].includes(r.outcome));
    const only = results[0]!;
    let text: string;
    if (!single) text = summaryTable(results);
    else if (only.outcome === 'completed') {
      text = `${only.id}: completed in ${only.duration_seconds}s${only.artifacts ? `, ${only.artifacts} artifact(s)` : ''} → ${only.path}`;
    } else if (['failed', 'interrupted'].includes(only.outcome)) {
      text = ''; // the progress line on stderr already said why, in one line
    } else if (only.outcome === 'dry-run') text = summaryTable(results);
    else text = `${only.outcome}: ${only.message ?? only.id}`;
    // 130 (128 + SIGINT) after Ctrl-C, as shells expect from an interrupted command.
    const interrupted = results.some((r) => r.outcome === 'interrupted');
    return { data: { results }, text, exitCode: interrupted ? 130 : bad ? 1 : 0 };
  },
};
