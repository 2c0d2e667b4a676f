import type { Command } from '../command.ts';
import { port, serveUntilStopped } from '../serve-util.ts';
import { str, workspace } from '../util.ts';

export const command: Command = {
  summary: "serve the journal's site with live reload",
  help: `Usage: lab dev [--port 4321] [--host 127.0.0.1]

Starts Astro's dev server on the journal: edits under content/, lab/ and lab.config.yaml are
recompiled and the browser reloads. Takes the next free port when --port is busy. Ctrl-C stops it.`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(args, global) {
    const ws = await workspace(global);
    return serveUntilStopped(await ws.dev({ port: port(args), host: str(args, 'host') }), 'lab dev');
  },
};
