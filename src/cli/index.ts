/**
 * `lab` — a thin CLI over the SDK. A table of commands, each an async function
 * returning data, and one top-level error handler (changesets style).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, LabError, UsageError } from '../core/diagnostics.ts';
import { findWorkspaceRoot } from '../core/workspace-root.ts';
import type { Command, GlobalOptions } from './command.ts';
import { toolVersionWarning } from './version-check.ts';

type Loader = () => Promise<{ command: Command }>;

/** Multi-word names match longest first: `sessions xtdb push` before `sessions`. */
const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  init: { summary: 'create a new journal that builds and deploys its own site', load: () => import('./commands/init.ts') },
  build: { summary: "build the journal's site into dist/", load: () => import('./commands/build.ts') },
  dev: { summary: "serve the journal's site with live reload", load: () => import('./commands/dev.ts') },
  preview: { summary: 'serve the built site as it will be published', load: () => import('./commands/preview.ts') },
  'new notebook': { summary: 'create a notebook', load: () => import('./commands/new-notebook.ts') },
  'new page': { summary: 'create a page in a notebook', load: () => import('./commands/new-page.ts') },
  'new entry': { summary: 'create an entry in a page', load: () => import('./commands/new-entry.ts') },
  variation: { summary: 'create a variation of an entry with overridden inputs', load: () => import('./commands/variation.ts') },
  sweep: { summary: 'create (and run) variations of an entry over a parameter sweep', load: () => import('./commands/sweep.ts') },
  compile: { summary: 'derive .lab/ (index, lineage) from content/', load: () => import('./commands/compile.ts') },
  check: { summary: 'report every problem in the journal as path:line:col', load: () => import('./commands/check.ts') },
  list: { summary: 'list notebooks, pages or entries', load: () => import('./commands/list.ts') },
  search: { summary: 'full-text search over the journal', load: () => import('./commands/search.ts') },
  lineage: { summary: "show an entry's ancestors and descendants", load: () => import('./commands/lineage.ts') },
  run: { summary: 'execute entries and write results back', load: () => import('./commands/run.ts') },
  attach: { summary: 'add files as artifacts to a manual entry', load: () => import('./commands/attach.ts') },
  diff: { summary: 'what changed in the experiments between two commits', load: () => import('./commands/diff.ts') },
  insights: { summary: 'parameter effects, best entries, a summary and next steps', load: () => import('./commands/insights.ts') },
  serve: { summary: 'serve the live site, a REST API and live runs on 127.0.0.1', load: () => import('./commands/serve.ts') },
  history: { summary: 'commits that touched an entry and what changed at each', load: () => import('./commands/history.ts') },
  archive: { summary: 'shrink old artifacts (thumbnail|compress|drop) or restore them from git history', load: () => import('./commands/archive.ts') },
  export: { summary: 'export a notebook, page or entry as .eln (RO-Crate) or zip', load: () => import('./commands/export.ts') },
  import: { summary: 'import a .eln (from any ELN) or a zip from lab export', load: () => import('./commands/import.ts') },
  'sessions import': { summary: 'import Codex CLI sessions into lab/raw', load: () => import('./commands/sessions-import.ts') },
  'sessions summarize': { summary: 'write Org stubs and doc drafts for sessions', load: () => import('./commands/sessions-summarize.ts') },
  'sessions index': { summary: 'regenerate lab/index.org', load: () => import('./commands/sessions-index.ts') },
  'sessions xtdb export': { summary: 'print the XTDB transaction for the sessions', load: () => import('./commands/sessions-xtdb-export.ts') },
  'sessions xtdb push': { summary: 'submit the sessions to an XTDB node', load: () => import('./commands/sessions-xtdb-push.ts') },
};

const GLOBAL_HELP = `lab — a laboratory journal in a git repository

Usage: lab [-C <dir>] <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`)
  .join('\n')}

Global options:
  -C <dir>      run as if started in <dir>
  --json        print data as JSON (where the command outputs data)
  -h, --help    show help for a command

Exit codes: 0 ok, 1 problems found, 2 usage error.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`));
  const err = io.err ?? ((s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`));
  let cwd = process.cwd();
  const args = [...argv];
  while (args[0] === '-C') {
    if (!args[1]) {
      err('lab: -C needs a directory');
      return 2;
    }
    cwd = path.resolve(cwd, args[1]);
    args.splice(0, 2);
  }
  if (!args.length || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    out(GLOBAL_HELP);
    return args.length ? 0 : 2;
  }
  if (args[0] === '--version' || args[0] === '-V') {
    out((await import('../version.ts')).VERSION);
    return 0;
  }
  const name = matchCommand(args);
  if (!name) {
    err(`lab: unknown command '${args.slice(0, 2).join(' ')}'. Run 'lab --help' for the list.`);
    return 2;
  }
  const rest = args.slice(name.split(' ').length);
  if (name !== 'init') warnOnOtherToolVersion(cwd, err);
  try {
    const { command } = await COMMANDS[name]!.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      out(`lab ${name} — ${command.summary}\n\n${command.help.trim()}`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...(command.options ?? {}), ...(command.json ? { json: { type: 'boolean' } } : {}) },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}\nRun 'lab ${name} --help' for usage.`);
    }
    const global: GlobalOptions = { cwd, json: Boolean(parsed.values.json) };
    const result = await command.run(parsed as never, global);
    if (global.json) out(JSON.stringify(result.data ?? null, null, 2));
    else if (result.text !== undefined) {
      if (result.text) out(result.text);
    } else if (result.data !== undefined) out(JSON.stringify(result.data, null, 2));
    return result.exitCode ?? 0;
  } catch (e) {
    return reportError(e, err, name);
  }
}

function warnOnOtherToolVersion(cwd: string, err: (s: string) => void): void {
  let root: string;
  try {
    root = findWorkspaceRoot(cwd);
  } catch {
    return; // not in a journal: the command itself says so
  }
  const warning = toolVersionWarning(root);
  if (warning) err(warning);
}

function matchCommand(args: string[]): string | undefined {
  for (let n = 3; n >= 1; n--) {
    const candidate = args.slice(0, n).join(' ');
    if (args.length >= n && COMMANDS[candidate]) return candidate;
  }
  return undefined;
}

/** The one error handler: user errors print their message, bugs print a short note. */
function reportError(e: unknown, err: (s: string) => void, name: string): number {
  if (e instanceof LabError) {
    for (const d of e.diagnostics) err(formatDiagnostic(d));
    err(`lab ${name}: ${e.message}`);
    return e.exitCode;
  }
  const error = e as Error;
  err(`lab ${name}: internal error: ${error?.message ?? String(e)}`);
  if (process.env.LAB_DEBUG) err(error?.stack ?? '');
  else err('(set LAB_DEBUG=1 to see the stack trace; please report this)');
  return 1;
}
