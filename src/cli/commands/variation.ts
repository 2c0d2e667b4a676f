import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { list, requireOne, str, strings, workspace } from '../util.ts';

export const command: Command = {
  summary: 'create a variation of an entry with overridden inputs',
  help: `Usage: lab variation <entry-id|path> --title "…" --override key=value … [--tags a,b]

Creates a new entry in the same page with the original's inputs deep-merged with the
overrides, and sets parent and variation_of to the original. A bare key (seed=7) goes
to inputs.parameters when the original keeps its parameters there and it is not one of
the type's inputs (timeout=30 stays an input); dotted keys nest, except a ComfyUI
node input (9.filename_prefix=x), which is the parameter "9.filename_prefix".`,
  options: { title: { type: 'string' }, override: { type: 'string', multiple: true }, tags: { type: 'string', multiple: true } },
  json: true,
  async run(args, global) {
    const title = str(args, 'title');
    if (!title) throw new UsageError('--title is required');
    const ws = await workspace(global);
    const original = await ws.entry(requireOne(args, 'entry'), global.cwd);
    const tags = list(args.values.tags);
    const v = await original.createVariation({ title, overrides: strings(args, 'override'), tags: tags.length ? tags : undefined });
    return { data: v.record, text: `Created variation ${v.record.id} of ${original.record.id}: ${v.record.source.path}` };
  },
};
