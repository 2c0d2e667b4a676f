import path from 'node:path';
import { formatDiagnostic, UsageError } from '../../core/diagnostics.ts';
import { importSessions } from '../../lab/import.ts';
import { defaultCodexHome, findLabRoot } from '../../lab/paths.ts';
import { CAPTURE_LEVELS, type CaptureLevel } from '../../lab/schema.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'import Codex CLI sessions into lab/raw',
  help: `Usage: lab sessions import [FILE|DIR …] [--codex-home DIR] [--since DATE] [--repo DIR] [--capture summary|commands|full]

Reads Codex CLI rollouts (rollout-*.jsonl, .jsonl.zst; every format generation) and writes
one record per session to lab/raw/<session-id>.json. With no paths it reads
$CODEX_HOME/sessions (default ~/.codex/sessions) and keeps only sessions whose working
directory is inside this repository (or --repo).

Options:
  --codex-home DIR   Codex home (default $CODEX_HOME or ~/.codex)
  --since DATE       only sessions started at or after DATE (2026-01-02 or an ISO timestamp)
  --repo DIR         only sessions whose working directory is inside DIR
  --capture LEVEL    summary (default: prompts, replies, files touched),
                     commands (adds commands and errors), full (adds lab/transcripts/<id>.json)
  --force            import files named on the command line even when their session
                     worked outside this repository (otherwise they are refused: use --repo)

Re-importing an unchanged session rewrites nothing; a resumed session that grew replaces
its record (your lab/notes and doc-draft path are kept). Secrets in captured text are
redacted. Exit code 1 when a file or line had to be skipped.`,
  options: {
    'codex-home': { type: 'string' },
    since: { type: 'string' },
    repo: { type: 'string' },
    capture: { type: 'string' },
    force: { type: 'boolean' },
  },
  json: true,
  async run(args, global) {
    const capture = (args.values.capture as string | undefined) ?? 'summary';
    if (!(CAPTURE_LEVELS as readonly string[]).includes(capture)) {
      throw new UsageError(`--capture must be one of ${CAPTURE_LEVELS.join(', ')} (got '${capture}')`);
    }
    let since: string | null = null;
    if (typeof args.values.since === 'string') {
      const d = new Date(args.values.since);
      if (Number.isNaN(d.getTime())) throw new UsageError(`--since must be a date like 2026-01-02 or an ISO timestamp (got '${args.values.since}')`);
      since = d.toISOString();
    }
    const root = findLabRoot(global.cwd);
    const codexHome = typeof args.values['codex-home'] === 'string' ? path.resolve(global.cwd, args.values['codex-home']) : defaultCodexHome();
    const result = await importSessions({
      root,
      paths: args.positionals,
      codexHome,
      repo: typeof args.values.repo === 'string' ? args.values.repo : null,
      since,
      capture: capture as CaptureLevel,
      cwd: global.cwd,
      force: Boolean(args.values.force),
    });
    const lines = result.diagnostics.map(formatDiagnostic);
    for (const s of result.sessions) lines.push(`${s.status.padEnd(10)} ${s.path}  (from ${s.source})`);
    const counts = (st: string) => result.sessions.filter((s) => s.status === st).length;
    lines.push(
      `${result.sessions.length} session(s): ${counts('created')} created, ${counts('updated')} updated, ${counts('unchanged')} unchanged` +
        `${counts('kept-newer') ? `, ${counts('kept-newer')} kept (stored record is newer)` : ''}` +
        `${result.filtered.length ? `; ${result.filtered.length} file(s) filtered out (other repo or --since)` : ''}`,
    );
    return { data: result, text: lines.join('\n'), exitCode: result.skippedSomething ? 1 : 0 };
  },
};
