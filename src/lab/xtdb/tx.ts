/**
 * The shape of the sessions as XTDB transactions. XTDB 1.x: the JSON body of
 * `POST /_xtdb/submit-tx` with one `put` per session (`xt/id` = session id).
 * XTDB 2.x: SQL `INSERT INTO lab_sessions (_id, …) VALUES (…)` — the plain form
 * that XTDB 2 and PostgreSQL both accept; on XTDB an insert of an existing
 * `_id` is a new version (history is kept). Append-only: never evict or erase.
 */
import { canonicalJson, sha256 } from '../../core/hash.ts';
import type { RawSession } from '../schema.ts';

export type XtdbFormat = 'v1' | 'v2';
const XTDB_TABLE = 'lab_sessions';

/** The XTDB 1.x document: the record's `lab/*` keys plus `xt/id`. */
function xtdbDocument(record: RawSession): Record<string, unknown> {
  return { 'xt/id': record['lab/session-id'], ...record };
}

/** The `submit-tx` body: `{"tx-ops": [["put", {...}], …]}`. Message order is the record's order. */
export function v1Transaction(records: RawSession[]): { 'tx-ops': ['put', Record<string, unknown>][] } {
  return { 'tx-ops': records.map((r) => ['put', xtdbDocument(r)]) };
}

/** XTDB 2 normalises keys: `lab/session-id` is stored as `lab$session_id`. */
export function v2ColumnName(key: string): string {
  return key.replace(/\//g, '$').replace(/-/g, '_').toLowerCase();
}

/** `_id` first, then the record's keys in sorted order, with XTDB 2 column names. */
function v2Columns(record: RawSession): [string, unknown][] {
  const keys = Object.keys(record).sort();
  return [['_id', record['lab/session-id']], ...keys.map((k): [string, unknown] => [v2ColumnName(k), (record as Record<string, unknown>)[k]])];
}

/** A parameterised insert for one session (`$1 … $n`): what `push --format v2` sends. */
export function v2Statement(record: RawSession, table = XTDB_TABLE): { text: string; columns: string[]; values: unknown[] } {
  const cols = v2Columns(record);
  const columns = cols.map(([c]) => c);
  const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  return { text, columns, values: cols.map(([, v]) => v) };
}

/**
 * The printable SQL script, one INSERT per session. Nested values (messages,
 * lists) are JSON text literals, which PostgreSQL turns into `jsonb` on insert;
 * `push --format v2` sends them as JSON parameters instead, which XTDB 2 stores as nested data.
 */
export function v2Sql(records: RawSession[], table = XTDB_TABLE): string {
  return records
    .map((r) => {
      const cols = v2Columns(r);
      return `INSERT INTO ${table} (${cols.map(([c]) => c).join(', ')}) VALUES (${cols.map(([, v]) => sqlLiteral(v)).join(', ')});`;
    })
    .join('\n');
}

/** A SQL literal: strings quoted with '' doubled, numbers and booleans as is, objects and arrays as JSON text. */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  const text = typeof v === 'string' ? v : canonicalJson(v);
  return `'${text.replace(/'/g, "''")}'`;
}

/** The content hash that decides whether a session must be sent again. */
export function sessionHash(record: RawSession): string {
  return sha256(canonicalJson(record));
}
