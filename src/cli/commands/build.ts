import path from 'node:path';
import type { Command } from '../command.ts';
import { str, workspace } from '../util.ts';

export const command: Command = {
  summary: "build the journal's site: compile, Astro, thumbnails, JSON API, search",
  help: `Usage: lab build [--out DIR] [--allow-errors] [--force] [--quiet]

Builds the site of the journal into dist/ (or --out, or LAB_OUT). LAB_SITE and LAB_BASE (origin and
sub-path, as on GitHub Pages) override site and base in lab.config.yaml. A journal with its own
astro.config.* is built with it (it must use the journal integration); otherwise the package's site
is used as is. Errors in the journal stop the build unless --allow-errors. When nothing the site
is made from changed since the last build into the same folder, and that folder is as the build
left it, the build stops there; --force builds anyway.`,
  options: { out: { type: 'string' }, 'allow-errors': { type: 'boolean' }, force: { type: 'boolean' }, quiet: { type: 'boolean' } },
  json: true,
  async run(args, global) {
    const ws = await workspace(global);
    const outArg = str(args, 'out') ?? process.env.LAB_OUT;
    const out = outArg ? path.resolve(global.cwd, outArg) : undefined;
    const times = await ws.build({
      out,
      allowErrors: Boolean(args.values['allow-errors']),
      force: Boolean(args.values.force),
      quiet: Boolean(args.values.quiet) || global.json,
    });
    return { data: times, text: '' };
  },
};
