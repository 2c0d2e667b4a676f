import { formatDiagnostic, sortDiagnostics } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { workspace } from '../util.ts';

export const command: Command = {
  summary: 'report every problem in the journal as path:line:col',
  help: `Usage: lab check [--json] [--fix]

Reports every problem (malformed YAML, missing or wrongly typed keys, unknown entry types,
inputs the entry's integration would refuse — the same checks as \`lab run --dry-run\` —,
duplicate ids, dangling parent/variation_of, lineage cycles, missing input files and blobs,
stale entries, files outside the layout, lab.config.yaml, entries stuck running whose runner is
gone, result sidecars waiting to be applied) as path:line:col: severity: message.
  --json   print [{file, line, column, severity, rule, message}]
  --fix    assign missing entry ids (atomic; nothing else in the file changes)
Exit code 1 when there is any error, 0 otherwise.`,
  options: { fix: { type: 'boolean' } },
  json: true,
  async run(args, global) {
    const ws = await workspace(global);
    const checked = await ws.check({ fix: Boolean(args.values.fix) });
    // Run state is not in the files alone (is a runner alive?): the runners layer adds it here.
    const { runStateDiagnostics } = await import('../../runners/run-state.ts');
    const diagnostics = sortDiagnostics([...checked.diagnostics, ...runStateDiagnostics(ws.root, await ws.index())]);
    const r = { ...checked, diagnostics };
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = r.diagnostics.length - errors;
    const lines = [
      ...r.fixed.map((f) => `${f.file}: fixed: assigned id ${f.id}`),
      ...r.diagnostics.map(formatDiagnostic),
      r.diagnostics.length ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'no problems found',
    ];
    return { data: r.diagnostics, text: lines.join('\n'), exitCode: r.ok ? 0 : 1 };
  },
};
