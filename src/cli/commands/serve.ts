/** `lab serve`: the live site, the REST API and run events, for working in the journal from a browser. */
import { UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'serve the live site, a REST API and live runs on 127.0.0.1',
  help: `Usage: lab serve [--port 8765] [--host 127.0.0.1] [--open] [--no-site]

Serves the journal from a browser: the live site (rebuilt as files change), the lab app
at /_lab/ (new notebooks, pages and entries, Execute with a live log, variations,
notes, rating, attachments) and the REST API of /api/openapi.json. Every write is the
file write the CLI makes. The first line printed is the URL to open; it carries a
fresh token that every API call needs (visiting it sets a cookie).

Options:
  --port <n>         port (default 8765; 0 picks a free one)
  --host <addr>      address to listen on (default 127.0.0.1)
  --allow-remote     allow a non-loopback --host (e.g. 0.0.0.0): anyone who can reach
                     the port and has the token can change the journal
  --open             open the URL in a browser
  --no-site          the API and the lab app only (no Astro dev server)
  --max-upload <MB>  largest artifact upload (default 200)

Runs started here go on when every browser tab is closed; runs started by
\`lab run\` in a terminal show up too. Ctrl-C stops the server (its runs are
marked interrupted).`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    open: { type: 'boolean' },
    'no-site': { type: 'boolean' },
    'max-upload': { type: 'string' },
  },
  async run(args, global) {
    const v = args.values as Record<string, string | boolean | undefined>;
    const port = v.port === undefined ? 8765 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port needs a port number, got '${v.port}'`);
    const host = typeof v.host === 'string' ? v.host : '127.0.0.1';
    const { isLoopback } = await import('../../serve/security.ts');
    if (!isLoopback(host) && !v['allow-remote']) {
      throw new UsageError(`--host ${host} exposes the journal beyond this machine; add --allow-remote if you mean it`);
    }
    const maxUpload = v['max-upload'] === undefined ? 200 : Number(v['max-upload']);
    if (!(maxUpload > 0)) throw new UsageError(`--max-upload needs a size in MB, got '${v['max-upload']}'`);
    const { openWorkspace } = await import('../../sdk/journal.ts');
    const ws = await openWorkspace(global.cwd);
    const server = await ws.serve({
      host,
      port,
      allowRemote: Boolean(v['allow-remote']),
      site: v['no-site'] ? false : undefined,
      limits: { upload: Math.round(maxUpload * 1024 * 1024) },
    });
    process.stdout.write(`lab serve: ${server.url}\n`);
    if (!isLoopback(host))
      process.stderr.write(`warning: listening on ${host}: anyone who can reach port ${server.port} and has the token can read and change this journal\n`);
    process.stderr.write(`  the lab app: ${server.origin}_lab/   the API: ${server.origin}api/openapi.json   Ctrl-C stops\n`);
    if (v.open) {
      const { spawn } = await import('node:child_process');
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [server.url], { stdio: 'ignore', detached: true })
        .on('error', () => {})
        .unref();
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stderr.write('\nStopping (interrupting runs started here)…\n');
        void server.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return { text: '' };
  },
};
