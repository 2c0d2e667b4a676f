/** `lab attach <entry> <file …>`: add files as artifacts to a `manual` entry. */
import { LabError, UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'add files as artifacts to a manual entry',
  help: `Usage: lab attach <entry id | path> <file …>

Stores each file in content/blobs/ (deduplicated by content) and lists it under the
entry's \`artifacts\` (images get width and height). A file with the same name as an
existing artifact replaces it. Only \`manual\` entries take attachments: other types
get their artifacts by running. Nothing else in the entry file changes.`,
  json: true,
  async run(args, global) {
    const [ref, ...files] = args.positionals;
    if (!ref || !files.length) throw new UsageError('usage: lab attach <entry> <file …>');
    const { attachFiles } = await import('../../runners/attach.ts');
    const result = await attachFiles(ref, files, { cwd: global.cwd });
    if (!result.added.length) throw new LabError('nothing attached');
    const lines = result.added.map(
      (a) => `  + ${a.name} (${a.type}, ${a.size_bytes} bytes${a.width ? `, ${a.width}×${a.height}` : ''}) ${a.hash.slice(0, 19)}…`,
    );
    return { data: result, text: `${result.entry}: attached ${result.added.length} file(s)\n${lines.join('\n')}` };
  },
};
