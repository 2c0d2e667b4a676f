import { UsageError } from '../../core/diagnostics.ts';
import { loadRawSessions } from '../../lab/load.ts';
import { findLabRoot } from '../../lab/paths.ts';
import { pushSessions, SENT_FILE } from '../../lab/xtdb/push.ts';
import type { XtdbFormat } from '../../lab/xtdb/tx.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'submit the sessions to an XTDB node',
  help: `Usage: lab sessions xtdb push --url URL [--format v1|v2]

Submits the sessions in lab/raw to an XTDB node, append-only (puts/inserts only; XTDB keeps
every version). Sessions already sent with the same content are skipped: the content hashes
sent to each node are kept in ${SENT_FILE}.

  --format v1   XTDB 1.x over HTTP: URL is the node, e.g. http://localhost:3000
                (POST /_xtdb/submit-tx, then GET /_xtdb/await-tx)
  --format v2   XTDB 2.x over the Postgres wire protocol: URL like postgres://localhost:5432/xtdb
                (INSERT INTO lab_sessions (_id, …) VALUES (…), one transaction)`,
  options: { url: { type: 'string' }, format: { type: 'string' } },
  json: true,
  async run(args, global) {
    const url = args.values.url;
    if (typeof url !== 'string' || !url) throw new UsageError('--url is required (the XTDB node, e.g. http://localhost:3000)');
    const format = (args.values.format as string | undefined) ?? 'v1';
    if (format !== 'v1' && format !== 'v2') throw new UsageError(`--format must be v1 or v2 (got '${format}')`);
    const root = findLabRoot(global.cwd);
    const records = await loadRawSessions(root);
    const result = await pushSessions(root, records, format as XtdbFormat, url);
    const text = result.sent.length
      ? `sent ${result.sent.length} session(s) to ${result.target}${result.txId !== null ? ` (tx ${result.txId})` : ''}; ${result.skipped.length} unchanged, skipped`
      : `nothing to send: all ${result.skipped.length} session(s) already sent to ${result.target}`;
    return { data: result, text };
  },
};
