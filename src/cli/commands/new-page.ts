import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { list, requireOne, str, workspace } from '../util.ts';

export const command: Command = {
  summary: 'create a page in a notebook',
  help: `Usage: lab new page "Title" --notebook <id|slug|title> [--date YYYY-MM-DD] [--goal "…"] [--hypothesis "…"] [--tags a,b]`,
  options: {
    notebook: { type: 'string' },
    date: { type: 'string' },
    goal: { type: 'string' },
    hypothesis: { type: 'string' },
    tags: { type: 'string', multiple: true },
  },
  json: true,
  async run(args, global) {
    const nbRef = str(args, 'notebook');
    if (!nbRef) throw new UsageError('--notebook is required');
    const ws = await workspace(global);
    const notebook = await ws.notebook(nbRef);
    const page = await notebook.createPage(requireOne(args, 'title'), {
      date: str(args, 'date'),
      goal: str(args, 'goal'),
      hypothesis: str(args, 'hypothesis'),
      tags: list(args.values.tags),
    });
    return { data: page.record, text: `Created page ${page.record.id}: ${page.record.source.path}` };
  },
};
