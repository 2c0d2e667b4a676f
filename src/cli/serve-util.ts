/** What `lab dev` and `lab preview` share: the port option, and running until Ctrl-C. */
import { UsageError } from '../core/diagnostics.ts';
import type { RunningSite } from '../site/serve-site.ts';
import type { CommandResult, ParsedArgs } from './command.ts';
import { str } from './util.ts';

/** `--port N`, checked. */
export function port(args: ParsedArgs): number | undefined {
  const raw = str(args, 'port');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--port must be a port number from 1 to 65535 (got "${raw}")`);
  return n;
}

/** Prints the URL, then waits for SIGINT/SIGTERM and stops the server. */
export async function serveUntilStopped(site: RunningSite, name: string): Promise<CommandResult> {
  process.stdout.write(`${name}: ${site.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await site.stop();
  return { text: '' };
}
