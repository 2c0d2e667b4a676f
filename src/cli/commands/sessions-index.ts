import { writeSessionIndex } from '../../lab/org-index.ts';
import { findLabRoot } from '../../lab/paths.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'regenerate lab/index.org',
  help: `Usage: lab sessions index

Regenerates lab/index.org: one link per stub in lab/stubs/, newest first, with the
session's date and first prompt. Writes nothing when the index is already current.`,
  options: {},
  json: true,
  async run(_args, global) {
    const result = await writeSessionIndex(findLabRoot(global.cwd));
    return { data: result, text: `${result.changed ? 'wrote' : 'unchanged'} ${result.path} (${result.count} session${result.count === 1 ? '' : 's'})` };
  },
};
