/** `lab run` (and `npm run run-entry`): execute entries and write their results back. */
import path from 'node:path';
import { LabError, UsageError } from '../../core/diagnostics.ts';
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
  --force            run even if completed
  --timeout <time>   stop each run after this long (e.g. 90s, 10m, 1h); kills its process tree
  --dry-run          check the entries and show what would run; write nothing
  --json             print the results as JSON (live logs then go to stderr)

Ctrl-C marks running entries interrupted and keeps their partial logs.
Exit code 1 if any entry failed, was refused or could not be read.`,
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
    const v = args.values as Record<string, string | boolean | undefined>;
    const jobs = v.jobs === undefined ? 1 : Number(v.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`-j needs a whole number of at least 1, got '${v.jobs}'`);
    const { parseDuration } = await import('../../runners/duration.ts');
    const timeoutMs = typeof v.timeout === 'string' ? parseDuration(v.timeout, '--timeout') : undefined;
    const { findRoot } = await import('../../runners/entry-file.ts');
    const { selectEntries } = await import('../../runners/select.ts');
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

    const { runMany } = await import('../../runners/run-many.ts');
    const { TerminalReporter, summaryTable } = await import('../../runners/terminal.ts');
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
      onError: (message) => {
        if (!single) process.stderr.write(`✖ ${message}\n`);
      },
    });
    // One entry that could not even start: a plain one-line error, like every other command.
    if (single && results[0]?.outcome === 'error') throw new LabError(results[0].message ?? 'failed');
    const bad = results.some((r) => !['completed', 'skipped', 'dry-run'].includes(r.outcome));
    const text =
      single && results[0].outcome === 'completed'
        ? `${results[0].id}: completed in ${results[0].duration_seconds}s${results[0].artifacts ? `, ${results[0].artifacts} artifact(s)` : ''} → ${results[0].path}`
        : single && results[0].outcome !== 'dry-run'
          ? `${results[0].outcome}: ${results[0].message ?? results[0].id}`
          : summaryTable(results);
    return { data: { results }, text, exitCode: bad ? 1 : 0 };
  },
};
