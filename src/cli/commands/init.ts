import path from 'node:path';
import { initJournal } from '../../sdk/init.ts';
import type { Command } from '../command.ts';
import { str } from '../util.ts';

export const command: Command = {
  summary: 'create a new journal that builds and deploys its own site',
  help: `Usage: lab init [dir] [--name "My Laboratory"] [--package-spec SPEC] [--force]

Creates content/, lab/, lab.config.yaml, package.json (codex-lab-journal as a devDependency and the
scripts build, dev, preview, check, run-entry), .gitignore, a README and two GitHub workflows:
pages.yml (deploy the site to GitHub Pages) and experiment-diff.yml (comment on pull requests).

In an empty or new folder it runs git init. Inside an existing git repository it adds to that
repository instead, and puts the workflows in the repository's .github/workflows/, running in the
journal's folder. It never overwrites a file.

Options:
  --name NAME           the journal's name (default: the folder's name)
  --package-spec SPEC   how package.json asks for the tool: a registry range (default ^<this version>),
                        a tarball path or file: URL, or a git URL
  --force               add a journal to a non-empty folder, or add the files an existing journal lacks`,
  options: { name: { type: 'string' }, 'package-spec': { type: 'string' }, force: { type: 'boolean' } },
  json: true,
  async run(args, global) {
    const dir = path.resolve(global.cwd, args.positionals[0] ?? '.');
    const r = await initJournal(dir, { name: str(args, 'name'), packageSpec: str(args, 'package-spec'), force: Boolean(args.values.force), cwd: global.cwd });
    const shown = path.relative(global.cwd, r.root) || '.';
    const lines = [`Initialized lab journal "${r.name}" in ${r.root}`];
    if (r.repository) {
      lines.push(
        `Added to the git repository at ${r.repository} (no new .git); its workflows are in ${path.join(r.repository, '.github', 'workflows')} and run in ${r.dir || 'the repository root'}.`,
      );
    } else lines.push('Started a git repository (branch main).');
    if (r.kept.length) lines.push(`Kept as they were: ${r.kept.join(', ')}`);
    lines.push('', 'Next:', `  cd ${shown}`, '  npm install', '  npx lab new notebook "My first notebook"', '  npm run build && npm run preview');
    return { data: r, text: lines.join('\n') };
  },
};
