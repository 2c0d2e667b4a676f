/** `lab archive`: shrink old artifacts (thumbnail, compress or drop), or `--restore` an entry's originals. */
import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { str } from '../util.ts';

export const command: Command = {
  summary: 'shrink old artifacts (thumbnail|compress|drop) or restore them from git history',
  help: `Usage: lab archive [--older-than 90d] [--strategy thumbnail|compress|drop] [--notebook N] [--dry-run] [--json]
       lab archive --restore <entry id | path>

Archives the artifacts of entries older than the cut-off (by execution.completed_at, else
created). Strategy: the entry's \`archive:\` key, else --strategy, else the notebook's
settings.archive_strategy, else thumbnail. Age: --older-than, else the notebook's
settings.auto_archive_days; with neither, nothing is archived.
  thumbnail  replace raster images with a WebP (lab.config.yaml archive.thumbnail_size, default 512 px)
  compress   replace the bytes with a zstd copy
  drop       remove the bytes, keep the record
Each archived artifact keeps \`archived: {strategy, at, original_hash, original_size_bytes, type,
width, height, commit}\`. Never touched: blobs another entry (or a log, or a note) still uses,
blobs HEAD has not committed, entries rated ≥ 4 and entries that a newer entry derives from
(lab.config.yaml archive.keep_rating, archive.keep_ancestors_of_recent). Running it again
archives nothing new.
  --dry-run   say what would be archived and the bytes freed per scope (working tree, site,
              shallow clone; a full clone keeps history: 0 unless history is rewritten)
  --restore   bring an entry's originals back from the blob store or git history (sha256 checked)`,
  options: {
    'older-than': { type: 'string' },
    strategy: { type: 'string' },
    notebook: { type: 'string' },
    'dry-run': { type: 'boolean' },
    restore: { type: 'string' },
  },
  json: true,
  async run(args, global) {
    const { findWorkspaceRoot } = await import('../../core/workspace-root.ts');
    const root = findWorkspaceRoot(global.cwd);
    const restore = str(args, 'restore');
    if (restore) {
      if (args.values['older-than'] || args.values.strategy || args.values['dry-run']) throw new UsageError('--restore takes only an entry');
      const { restoreEntry } = await import('../../archive/restore.ts');
      const r = await restoreEntry(root, restore, global.cwd);
      const lines = [
        `${r.entry}: restored ${r.restored.length} artifact(s)`,
        ...r.restored.map((a) => `  ${a.artifact}  ${a.hash.slice(0, 19)}…  ${a.size_bytes} bytes, from ${a.from} (sha256 checked)`),
        ...r.missing.map((m) => `  ${m.artifact}: not restored: ${m.reason}`),
      ];
      return { data: r, text: lines.join('\n'), exitCode: r.missing.length ? 1 : 0 };
    }
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const { parseAge, parseStrategy } = await import('../../archive/policy.ts');
    const olderThan = str(args, 'older-than');
    const strategy = str(args, 'strategy');
    const { archiveJournal } = await import('../../archive/archive.ts');
    const report = await archiveJournal(root, {
      olderThanDays: olderThan ? parseAge(olderThan) : undefined,
      strategy: strategy ? parseStrategy(strategy) : undefined,
      notebook: str(args, 'notebook'),
      dryRun: Boolean(args.values['dry-run']),
    });
    const { renderArchiveReport } = await import('../../archive/report.ts');
    return { data: report, text: renderArchiveReport(report) };
  },
};
