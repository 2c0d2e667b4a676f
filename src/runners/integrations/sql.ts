/**
 * `sql` (alias `database_query`): runs one query against SQLite (embedded,
 * `node:sqlite`, a file in the workspace) or PostgreSQL (`postgres`, connection
 * string usually from `${env:…}`). Rows are stored as JSON and CSV artifacts;
 * the entry gets the row count, column names and a preview.
 */
import { existsSync, promises as fs } from 'node:fs';
import module from 'node:module';
import { z } from 'zod';
import { CODE_EXTENSION, ownFile } from '../../package-files.ts';
import { placeholdersDefined, substituteParameters } from '../templating.ts';
import { type Integration, type RunContext, RunFailure } from '../types.ts';
import { toCsv, toJsonValue } from './rows.ts';

const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Inputs of a `sql` entry. */
export const sqlInputsSchema = z
  .strictObject({
    /** `sqlite` (default) or `postgres`; inferred as postgres from a postgres:// connection string. */
    driver: z.enum(['sqlite', 'postgres']).optional(),
    /** SQLite: a file path (`./x.db` next to the entry, else relative to the workspace) or `:memory:`. PostgreSQL: a connection string. */
    database: z.string().min(1, 'must name a database'),
    /** The SQL text. Give this or `query_file`. */
    query: z.string().min(1, 'must not be empty').optional(),
    /** A `.sql` file holding the query (e.g. `./query.sql`). */
    query_file: z.string().optional(),
    /** Positional parameters: `?` (SQLite) or `$1, $2…` (PostgreSQL). */
    params: z.array(param).optional(),
    /** SQLite only: open the file read-only (default true) so a query cannot change the data it is measured on. */
    read_only: z.boolean().optional(),
    /** Rows kept in `outputs.preview` (default 5). */
    preview_rows: z.number().int().min(0).max(100).optional(),
    /** Named values for `{{parameters.name}}` in the query text. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((i) => (i.query === undefined) !== (i.query_file === undefined), { error: 'needs exactly one of `query` or `query_file`' })
  .refine((i) => placeholdersDefined(i.query, i.parameters), {
    error: 'uses a {{parameters.…}} placeholder for a parameter that `parameters` does not define',
  });

export type SqlInputs = z.infer<typeof sqlInputsSchema>;

interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

export const sql: Integration<SqlInputs> = {
  name: 'sql',
  aliases: ['database_query'],
  inputsSchema: sqlInputsSchema,
  inputsTemplate: [
    '  driver: sqlite   # or postgres',
    '  database: ./data.db   # SQLite file, or a connection string such as ${env:DATABASE_URL}',
    '  query: select 1 as answer   # or query_file: ./query.sql',
    '  # params: [42]   # positional: ? (SQLite) or $1 (PostgreSQL)',
  ].join('\n'),
  async execute(inputs, ctx) {
    const driver = inputs.driver ?? (/^postgres(ql)?:\/\//i.test(inputs.database) ? 'postgres' : 'sqlite');
    const text = inputs.query_file
      ? await fs.readFile(ctx.resolveInputFile(inputs.query_file, 'query_file'), 'utf8')
      : substituteParameters(inputs.query!, inputs.parameters ?? {});
    const params = inputs.params ?? [];
    const where = driver === 'postgres' ? describeConnection(inputs.database) : inputs.database;
    ctx.progress({ message: `${driver}: querying ${ctx.redact(where)}` });
    const t0 = performance.now();
    const result = driver === 'postgres' ? await queryPostgres(inputs.database, text, params, ctx) : await querySqlite(inputs, text, params, ctx);
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, toJsonValue(row[i])])));
    const previewRows = inputs.preview_rows ?? 5;
    return {
      outputs: {
        driver,
        database: ctx.redact(where),
        row_count: result.rows.length,
        columns: result.columns,
        preview: objects.slice(0, previewRows),
      },
      metrics: { query_ms: ms },
      artifacts: [
        { name: 'rows.json', data: `${JSON.stringify(objects, null, 2)}\n`, type: 'application/json' },
        { name: 'rows.csv', data: toCsv(result.columns, result.rows), type: 'text/csv' },
      ],
    };
  },
};

async function querySqlite(inputs: SqlInputs, text: string, params: unknown[], ctx: RunContext): Promise<QueryResult> {
  const memory = inputs.database === ':memory:';
  const file = memory ? ':memory:' : ctx.resolveInputFile(inputs.database, 'database');
  if (!memory && !existsSync(file)) throw new RunFailure(`SQLite database \`${inputs.database}\` does not exist`);
  const { fork } = await import('node:child_process');
  const child = fork(ownFile(`runners/integrations/sqlite-child${CODE_EXTENSION}`), [], {
    serialization: 'advanced', // rows keep bigints and byte arrays
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
    // Reuse the compile cache so the child's TypeScript is not stripped again on every query.
    env: { ...process.env, ...(module.getCompileCacheDir?.() ? { NODE_COMPILE_CACHE: module.getCompileCacheDir() } : {}) },
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const onAbort = () => void child.kill('SIGKILL');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    child.send({ file, readOnly: !memory && inputs.read_only !== false, text, params });
    const reply = await new Promise<{ columns?: string[]; rows?: unknown[][]; stage?: string; error?: string } | null>((resolve) => {
      child.once('message', (m) => resolve(m as never));
      child.once('exit', () => resolve(null));
      child.once('error', () => resolve(null));
    });
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (!reply) throw new RunFailure(`the SQLite query process stopped unexpectedly${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    if (reply.stage === 'open') throw new RunFailure(`cannot open SQLite database \`${inputs.database}\`: ${reply.error}`);
    if (reply.error) throw new RunFailure(`SQL error: ${reply.error}`);
    return { columns: reply.columns!, rows: reply.rows! };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function queryPostgres(connectionString: string, text: string, params: unknown[], ctx: RunContext): Promise<QueryResult> {
  // The one PostgreSQL client of the project (`postgres`): XTDB 2's docs recommend it for its wire
  // protocol, and it runs any query text with positional `$1` parameters here.
  const { default: postgres } = await import('postgres');
  const sql = postgres(connectionString, { max: 1, connect_timeout: 15, idle_timeout: 1, onnotice: () => {} });
  const onAbort = () => void sql.end({ timeout: 0 }).catch(() => {});
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Without parameters the simple protocol runs several statements, as psql does; the last one's rows count.
    const query = params.length ? sql.unsafe(text, params as never[]) : sql.unsafe(text).simple();
    let res: unknown;
    try {
      res = await query.values();
    } catch (e) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (isConnectionError(e)) throw new RunFailure(`cannot connect to PostgreSQL at ${ctx.redact(describeConnection(connectionString))}: ${pgMessage(e)}`);
      throw new RunFailure(`SQL error: ${pgMessage(e)}`);
    }
    // One statement gives one result (rows with `columns`); several give a list of results.
    type Result = unknown[][] & { columns?: { name: string }[] };
    const last = (res as Result).columns ? (res as Result) : ((res as Result[]).at(-1) ?? ([] as unknown as Result));
    return { columns: (last.columns ?? []).map((c) => c.name), rows: [...last] };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** A failure to reach the server (as opposed to an error the server reported about the query). */
function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED)$/.test(
      code,
    ) || /^28/.test(code)
  );
}

/** `host:port/db` of a connection string, without user or password. */
function describeConnection(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

function pgMessage(e: unknown): string {
  const err = e as { message?: string; code?: string; position?: string; errors?: { message: string }[] };
  if (err.errors?.length) return err.errors.map((x) => x.message).join('; ');
  const msg = err.message || String(e);
  return err.code && /^[0-9A-Z]{5}$/.test(err.code) ? `${msg} (SQLSTATE ${err.code})` : msg;
}
