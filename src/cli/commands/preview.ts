import type { Command } from '../command.ts';
import { port, serveUntilStopped } from '../serve-util.ts';
import { str, workspace } from '../util.ts';

export const command: Command = {
  summary: 'serve the built site (dist/) as it will be published',
  help: `Usage: lab preview [--port 4321] [--host 127.0.0.1] [--out DIR]

Serves what 'lab build' wrote, under the configured base path. Takes the next free port when
--port is busy, so two journals can be previewed at once. Ctrl-C stops it.`,
  options: { port: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' } },
  async run(args, global) {
    const ws = await workspace(global);
    return serveUntilStopped(await ws.preview({ port: port(args), host: str(args, 'host'), out: str(args, 'out') }), 'lab preview');
  },
};
