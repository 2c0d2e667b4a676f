import { UsageError } from '../../core/diagnostics.ts';
import { formatLineage } from '../../core/lineage-query.ts';
import type { Command } from '../command.ts';
import { requireOne, str, workspace } from '../util.ts';

export const command: Command = {
  summary: "show an entry's ancestors and descendants",
  help: `Usage: lab lineage <entry-id|path> [--depth N] [--json]`,
  options: { depth: { type: 'string' } },
  json: true,
  async run(args, global) {
    const depth = str(args, 'depth') === undefined ? Infinity : Number(str(args, 'depth'));
    if (!(depth >= 1)) throw new UsageError('--depth must be a number ≥ 1');
    const ws = await workspace(global);
    const entry = await ws.entry(requireOne(args, 'entry'), global.cwd);
    const tree = await entry.lineage(depth);
    return { data: tree, text: formatLineage(tree) };
  },
};
