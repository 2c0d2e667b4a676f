/**
 * Runs one SQLite query in a child process. node:sqlite is synchronous and a
 * query stuck in native code cannot be stopped from JavaScript (not even by
 * terminating a worker thread); a child process can always be killed, so
 * Ctrl-C and --timeout work on any query.
 */
type Job = { file: string; readOnly: boolean; text: string; params: (string | number | null)[] };

process.once('message', (job: Job) => {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  let db;
  try {
    db = new DatabaseSync(job.file, { readOnly: job.readOnly });
  } catch (e) {
    process.send!({ stage: 'open', error: (e as Error).message }, () => process.exit(0));
    return;
  }
  let reply: object;
  try {
    const statement = db.prepare(job.text);
    statement.setReturnArrays(true);
    const columns = statement.columns().map((c) => c.name);
    reply = { columns, rows: statement.all(...job.params) };
  } catch (e) {
    reply = { stage: 'query', error: (e as Error).message };
  } finally {
    db.close();
  }
  process.send!(reply, () => process.exit(0));
});
