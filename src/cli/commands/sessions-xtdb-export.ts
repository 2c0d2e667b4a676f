import { UsageError } from '../../core/diagnostics.ts';
import { loadRawSessions } from '../../lab/load.ts';
import { findLabRoot } from '../../lab/paths.ts';
import { v1Transaction, v2Sql, type XtdbFormat } from '../../lab/xtdb/tx.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'print the XTDB transaction for the sessions',
  help: `Usage: lab sessions xtdb export [--format v1|v2]

Prints every session in lab/raw as one XTDB transaction:
  v1 (default)  the JSON body of POST /_xtdb/submit-tx (XTDB 1.x): {"tx-ops": [["put", {"xt/id": …, "lab/…": …}], …]}
  v2            SQL for XTDB 2.x: INSERT INTO lab_sessions (_id, lab$session_id, …) VALUES (…);
                (keys normalised as XTDB 2 does: lab/session-id → lab$session_id; nested values as JSON text)

Only puts/inserts: nothing is ever evicted or erased; a changed session becomes a new version.
Example: lab sessions xtdb export | curl -X POST -H 'Content-Type: application/json' --data-binary @- http://localhost:3000/_xtdb/submit-tx`,
  options: { format: { type: 'string' } },
  async run(args, global) {
    const format = (args.values.format as string | undefined) ?? 'v1';
    if (format !== 'v1' && format !== 'v2') throw new UsageError(`--format must be v1 or v2 (got '${format}')`);
    const records = await loadRawSessions(findLabRoot(global.cwd));
    const text = (format as XtdbFormat) === 'v1' ? JSON.stringify(v1Transaction(records), null, 2) : v2Sql(records);
    return { data: format === 'v1' ? v1Transaction(records) : text, text };
  },
};
