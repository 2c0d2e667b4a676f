/** `lab export notebook|page|entry <id> --format eln|zip -o FILE`. */
import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { str } from '../util.ts';

export const command: Command = {
  summary: 'export a notebook, page or entry as .eln (RO-Crate) or zip',
  help: `Usage: lab export notebook|page|entry <id> [--format eln|zip] -o FILE [--json]

  --format eln   the ELN Consortium's .eln (RO-Crate 1.1 in a zip; default): other ELNs
                 (eLabFTW, Kadi4Mat, RSpace, SampleDB, PASTA …) import it. Notebook, page and
                 entries are Datasets; runs are CreateActions; artifacts are Files with sha256.
  --format zip   the journal's own files (content and the blobs they use) with a manifest of
                 sha256 sums; \`lab import\` restores them exactly.
  -o FILE        where to write (written to a temp file, then renamed).
The archive is streamed: memory stays flat however large the blobs are.
The license in .eln files comes from lab.config.yaml \`license\`.`,
  options: { format: { type: 'string' }, output: { type: 'string', short: 'o' } },
  json: true,
  async run(args, global) {
    const [kind, ref, ...rest] = args.positionals;
    if (!kind || !['notebook', 'page', 'entry'].includes(kind) || !ref || rest.length)
      throw new UsageError('usage: lab export notebook|page|entry <id> -o FILE');
    const format = str(args, 'format') ?? 'eln';
    if (format !== 'eln' && format !== 'zip') throw new UsageError(`--format must be eln or zip, not '${format}'`);
    const out = str(args, 'output');
    if (!out) throw new UsageError('-o FILE is required');
    const { findWorkspaceRoot } = await import('../../core/workspace-root.ts');
    const { exportJournal } = await import('../../exchange/export.ts');
    const r = await exportJournal(findWorkspaceRoot(global.cwd), { kind: kind as 'notebook', ref, format, out, cwd: global.cwd });
    const lines = [`wrote ${out}: ${r.files} file(s), ${r.bytes} bytes (${format})`, ...r.skipped.map((s) => `  skipped ${s.what}: ${s.reason}`)];
    return { data: r, text: lines.join('\n') };
  },
};
