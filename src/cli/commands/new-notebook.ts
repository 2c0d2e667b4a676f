import type { Command } from '../command.ts';
import { list, rel, requireOne, str, workspace } from '../util.ts';

export const command: Command = {
  summary: 'create a notebook',
  help: `Usage: lab new notebook "Title" [--description "…"] [--tags a,b] [--color "#4F46E5"] [--icon 🎨]`,
  options: { description: { type: 'string' }, tags: { type: 'string', multiple: true }, color: { type: 'string' }, icon: { type: 'string' } },
  json: true,
  async run(args, global) {
    const ws = await workspace(global);
    const nb = await ws.createNotebook(requireOne(args, 'title'), {
      description: str(args, 'description'),
      tags: list(args.values.tags),
      color: str(args, 'color'),
      icon: str(args, 'icon'),
    });
    return { data: nb.record, text: `Created notebook ${nb.record.id}: ${rel(ws.root, ws.root + '/' + nb.record.source.path)}` };
  },
};
