import path from 'node:path';
import { initializeWorkspace } from '../../sdk/journal.ts';
import type { Command } from '../command.ts';
import { str } from '../util.ts';

export const command: Command = {
  summary: 'create a new journal workspace',
  help: `Usage: lab init [dir] --name "My Laboratory"

Creates content/notebooks, content/blobs, lab/, lab.config.yaml, .gitignore and a git repository.`,
  options: { name: { type: 'string' } },
  json: true,
  async run(args, global) {
    const dir = path.resolve(global.cwd, args.positionals[0] ?? '.');
    const name = str(args, 'name') ?? path.basename(dir);
    const ws = await initializeWorkspace(dir, name);
    return { data: { root: ws.root, name }, text: `Initialized lab journal "${name}" in ${ws.root}\nNext: lab new notebook "My first notebook"` };
  },
};
