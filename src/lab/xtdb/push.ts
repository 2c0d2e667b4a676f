/**
 * Submits sessions to an XTDB node, append-only: only sessions whose content
 * hash was not yet sent to that node go out, as `put`s (v1, HTTP via undici)
 * or INSERTs (v2, Postgres wire protocol via the `postgres` client). The sent
 * hashes are kept per target in `.lab/xtdb-sent.json` (URL credentials removed).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { request } from 'undici';
import { LabError } from '../../core/diagnostics.ts';
import { writeFileAtomic } from '../../core/fs/atomic.ts';
import { canonicalJson } from '../../core/hash.ts';
import { redactSecrets } from '../redact.ts';
import type { RawSession } from '../schema.ts';
import { sessionHash, v1Transaction, v2Statement, type XtdbFormat } from './tx.ts';

export const SENT_FILE = '.lab/xtdb-sent.json';

type SentState = { targets: Record<string, Record<string, string>> };

export interface PushResult {
  target: string;
  format: XtdbFormat;
  sent: string[];
  skipped: string[];
  /** v1: the transaction id XTDB returned. */
  txId: number | null;
}

/** A stable name for a target without credentials (it is written to a file). */
function targetKey(format: XtdbFormat, url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return `${format} ${u.toString().replace(/\/+$/, '')}`;
  } catch {
    return `${format} ${redactSecrets(url)}`;
  }
}

export async function pushSessions(
  root: string,
  records: RawSession[],
  format: XtdbFormat,
  url: string,
  opts: { timeoutMs?: number } = {},
): Promise<PushResult> {
  const key = targetKey(format, url);
  const statePath = path.join(root, SENT_FILE);
  const state = await readState(statePath);
  const sent = state.targets[key] ?? {};
  const hashes = new Map(records.map((r) => [r['lab/session-id'], sessionHash(r)]));
  const todo = records.filter((r) => sent[r['lab/session-id']] !== hashes.get(r['lab/session-id']));
  const result: PushResult = {
    target: key.slice(3),
    format,
    sent: todo.map((r) => r['lab/session-id']),
    skipped: records.filter((r) => !todo.includes(r)).map((r) => r['lab/session-id']),
    txId: null,
  };
  if (!todo.length) return result;
  if (format === 'v1') result.txId = await pushV1(url, todo, opts.timeoutMs ?? 30_000);
  else await pushV2(url, todo);
  // Only after the node confirmed the transaction: a failed push leaves the hashes as they were.
  for (const r of todo) sent[r['lab/session-id']] = hashes.get(r['lab/session-id']) as string;
  state.targets[key] = sent;
  await writeFileAtomic(statePath, `${canonicalJson(state, 2)}\n`);
  return result;
}

/** POST /_xtdb/submit-tx, then GET /_xtdb/await-tx until the node has indexed it. Returns the tx id. */
async function pushV1(url: string, records: RawSession[], timeoutMs: number): Promise<number> {
  const base = url.replace(/\/+$/, '').replace(/\/_xtdb$/, '');
  const shown = redactSecrets(base);
  const submit = await call(`${base}/_xtdb/submit-tx`, 'POST', JSON.stringify(v1Transaction(records)), timeoutMs, shown);
  const txId = pick(submit, ['txId', 'xtdb.api/tx-id', 'tx-id', 'xt/tx-id']);
  if (typeof txId !== 'number') throw new LabError(`POST ${shown}/_xtdb/submit-tx: the answer has no transaction id: ${JSON.stringify(submit).slice(0, 200)}`);
  const awaited = await call(`${base}/_xtdb/await-tx?tx-id=${txId}&timeout=${timeoutMs}`, 'GET', null, timeoutMs, shown);
  const committed = pick(awaited, ['txId', 'xtdb.api/tx-id', 'tx-id']);
  if (committed !== txId) throw new LabError(`GET ${shown}/_xtdb/await-tx?tx-id=${txId}: unexpected answer ${JSON.stringify(awaited).slice(0, 200)}`);
  return txId;
}

async function call(url: string, method: 'GET' | 'POST', body: string | null, timeoutMs: number, shown: string): Promise<Record<string, unknown>> {
  const pathPart = url.slice(url.indexOf('/_xtdb'));
  let res;
  try {
    res = await request(url, {
      method,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ?? undefined,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (e) {
    throw new LabError(`${method} ${shown}${pathPart} failed: ${(e as Error).message}`);
  }
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new LabError(`${method} ${shown}${pathPart} returned HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new LabError(`${method} ${shown}${pathPart} did not answer JSON: ${text.slice(0, 200)}`);
  }
}

function pick(o: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (o && o[k] !== undefined) return o[k];
  return undefined;
}

/** One INSERT per session in a single transaction, over the Postgres wire protocol. */
async function pushV2(url: string, records: RawSession[]): Promise<void> {
  // fetch_types: false — XTDB 2 does not serve the pg_type catalogue the client asks for by default.
  const sql = postgres(url, { fetch_types: false, max: 1, onnotice: () => {}, connect_timeout: 15 });
  try {
    await sql.begin(async (tx) => {
      for (const r of records) {
        const st = v2Statement(r);
        const params = st.values.map((v) => (v !== null && typeof v === 'object' ? tx.json(v as postgres.JSONValue) : (v as string | number | boolean | null)));
        await tx.unsafe(st.text, params as never[]);
      }
    });
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new LabError(`INSERT into ${redactSecrets(url)} failed${err.code ? ` (${err.code})` : ''}: ${err.message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function readState(file: string): Promise<SentState> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return { targets: {} };
  try {
    const parsed = JSON.parse(text) as SentState;
    return parsed && typeof parsed.targets === 'object' ? parsed : { targets: {} };
  } catch {
    return { targets: {} }; // a broken cache only means sending again; XTDB keeps versions
  }
}
