/** `lab import FILE [--notebook N]`. */
import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { requireOne, str } from '../util.ts';

export const command: Command = {
  summary: 'import a .eln (from any ELN) or a zip from lab export',
  help: `Usage: lab import FILE [--notebook N] [--json]

Imports an ELN Consortium .eln (eLabFTW, Kadi4Mat, PASTA, SampleDB, RSpace, BenchLineage,
our own …) or a zip written by \`lab export --format zip\`.
  .eln: each Dataset in the crate becomes a page (when it holds Datasets) or an entry; Files
        go into the blob store (sha256 verified when given); keywords → tags, aggregateRating →
        rating, isBasedOn/mentions → lineage or links, comments kept, HTML converted to
        Markdown, dates that are not ISO 8601 kept verbatim under \`imported\`; runs
        (CreateActions) become entries whose parent is the run that made their input.
  zip:  the files are restored exactly (sha256 checked); files that exist are kept.
  --notebook N   import into notebook N (id or folder; created when it does not exist)
Importing the same file again creates nothing new (keyed by the crate's @id/identifier).
Entries with unsafe paths (\`..\`, absolute, symbolic links) are refused, never extracted.`,
  options: { notebook: { type: 'string' } },
  json: true,
  async run(args, global) {
    const file = requireOne(args, 'file to import');
    if (!file) throw new UsageError('usage: lab import FILE');
    const { findWorkspaceRoot } = await import('../../core/workspace-root.ts');
    const { importFile } = await import('../../exchange/import.ts');
    const path = await import('node:path');
    const r = await importFile(findWorkspaceRoot(global.cwd), path.resolve(global.cwd, file), { notebook: str(args, 'notebook') });
    const { renderImportReport } = await import('../../exchange/import-report.ts');
    return { data: r, text: renderImportReport(r), exitCode: r.failed.length ? 1 : 0 };
  },
};
