import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { list, requireOne, str, strings, workspace } from '../util.ts';

export const command: Command = {
  summary: 'create an entry in a page',
  help: `Usage: lab new entry <type> --page <id|slug|title> --title "…" [--param key=value …] [--input name=value …]
                    [--parent <entry-id>] [--tags a,b] [--notebook <ref>]

  --param   sets inputs.parameters.<key>; values are typed as YAML scalars (42, 7.5, true);
            dotted keys nest (--param sampler.steps=30), except for comfyui, where
            --param 6.text=… is node 6's text input and stays the key "6.text"
  --input   sets inputs.<name> (e.g. --input workflow=./workflow.json --input command="python3 train.py")

An unknown <type> is refused. With neither --param nor --input, the entry gets the type's
inputs skeleton: every input with a comment saying what it is for.`,
  options: {
    page: { type: 'string' },
    notebook: { type: 'string' },
    title: { type: 'string' },
    param: { type: 'string', multiple: true },
    input: { type: 'string', multiple: true },
    parent: { type: 'string' },
    tags: { type: 'string', multiple: true },
  },
  json: true,
  async run(args, global) {
    const type = requireOne(args, 'entry type');
    const pageRef = str(args, 'page');
    const title = str(args, 'title');
    if (!pageRef) throw new UsageError('--page is required');
    if (!title) throw new UsageError('--title is required');
    const ws = await workspace(global);
    const page = await ws.page(pageRef, str(args, 'notebook'));
    const entry = await page.createEntry(type, {
      title,
      params: strings(args, 'param'),
      inputs: strings(args, 'input'),
      parent: str(args, 'parent'),
      tags: list(args.values.tags),
    });
    return { data: entry.record, text: `Created entry ${entry.record.id}: ${entry.record.source.path}` };
  },
};
