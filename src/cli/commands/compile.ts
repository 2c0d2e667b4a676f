import { formatDiagnostic, hasErrors } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { workspace } from '../util.ts';

export const command: Command = {
  summary: 'derive .lab/ (index, lineage) from content/',
  help: `Usage: lab compile [--json]

Writes .lab/index.json and .lab/lineage.json. Incremental: unchanged files are not re-parsed.
Problems are printed as path:line:col; exit 1 when there are errors.`,
  json: true,
  async run(_args, global) {
    const ws = await workspace(global);
    const r = await ws.compile();
    const { notebooks, pages, entries, sessions } = r.stats.counts;
    const summary = r.stats.skipped
      ? `up to date: ${notebooks} notebooks, ${pages} pages, ${entries} entries, ${sessions} sessions`
      : `compiled ${notebooks} notebooks, ${pages} pages, ${entries} entries, ${sessions} sessions (${r.stats.parsed} parsed, ${r.stats.reused} from cache)`;
    return {
      data: { stats: r.stats, diagnostics: r.diagnostics },
      text: [...r.diagnostics.map(formatDiagnostic), summary].join('\n'),
      exitCode: hasErrors(r.diagnostics) ? 1 : 0,
    };
  },
};
