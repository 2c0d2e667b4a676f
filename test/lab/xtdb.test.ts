import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawSession } from '../../src/lab/schema.ts';
import { sqlLiteral, v1Transaction, v2ColumnName, v2Sql, v2Statement } from '../../src/lab/xtdb/tx.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from '../support/postgres.ts';
import { lab, ROLLOUTS, readJson, tmpWorkspace } from './helpers.ts';
import { startFakeXtdb1 } from './support/fake-xtdb1.ts';

const RESUMED = '0199a004-0000-7000-8000-00000000e004';

async function workspaceWith(...files: string[]) {
  const ws = await tmpWorkspace();
  for (const f of files) await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, f), '--capture', 'commands');
  return ws;
}

const get = async (url: string) => {
  const res = await request(url, { headers: { accept: 'application/json' } });
  return { status: res.statusCode, body: (await res.body.json()) as unknown };
};

describe('xtdb export', () => {
  it('v1: the submit-tx body, one put per session, xt/id = session id, lab/* keys as stored', async () => {
    const ws = await workspaceWith('envelope-current.jsonl', 'resumed-base.jsonl');
    const r = await lab(ws, 'sessions', 'xtdb', 'export');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { 'tx-ops': [string, Record<string, unknown>][] };
    expect(body['tx-ops'].map(([op, doc]) => [op, doc['xt/id']])).toEqual([
      ['put', '0199a001-0000-7000-8000-00000000e001'],
      ['put', RESUMED],
    ]);
    const [, doc] = body['tx-ops'][1]!;
    const record = readJson(path.join(ws, 'lab/raw', `${RESUMED}.json`));
    expect(doc).toEqual({ 'xt/id': RESUMED, ...record });
    expect((doc['lab/user-messages'] as { id: string }[]).map((m) => m.id)).toEqual([`${RESUMED}:u001`]);
  });

  it('v2: INSERT … (_id, …) VALUES … with XTDB 2 column names', async () => {
    const ws = await workspaceWith('resumed-base.jsonl');
    const r = await lab(ws, 'sessions', 'xtdb', 'export', '--format', 'v2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INSERT INTO lab_sessions \(_id, lab\$assistant_messages, lab\$capture, /);
    expect(r.stdout).toContain(`VALUES ('${RESUMED}', '[{"id":"${RESUMED}:a001"`);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses invalid records, listing them', async () => {
    const ws = await workspaceWith('resumed-base.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(ws, 'lab/raw/bad.json'), '{"lab/session-id": 3}');
    const r = await lab(ws, 'sessions', 'xtdb', 'export');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('lab/raw/bad.json:1:2: error: lab/session-id: must be the rollout id (a UUID string)');
  });
});

describe('v2 SQL', () => {
  const record = {
    'lab/session-id': 's-1',
    'lab/user-messages': [{ id: 's-1:u001', timestamp: null, text: "it's done" }],
    'lab/assistant-messages': [],
    'lab/files-touched': ['a.ts'],
    'lab/timestamp-start': '2026-01-01T00:00:00.000Z',
  } as RawSession;
  it('normalises keys the way XTDB 2 does', () => {
    expect(v2ColumnName('lab/session-id')).toBe('lab$session_id');
    expect(v2ColumnName('lab/doc-draft-path')).toBe('lab$doc_draft_path');
  });
  it('quotes literals safely', () => {
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(3)).toBe('3');
    expect(sqlLiteral([{ b: 1, a: "x'y" }])).toBe(`'[{"a":"x''y","b":1}]'`);
  });
  it('builds one statement per session with _id first', () => {
    expect(v2Sql([record])).toBe(
      `INSERT INTO lab_sessions (_id, lab$assistant_messages, lab$files_touched, lab$session_id, lab$timestamp_start, lab$user_messages) VALUES ('s-1', '[]', '["a.ts"]', 's-1', '2026-01-01T00:00:00.000Z', '[{"id":"s-1:u001","text":"it''s done","timestamp":null}]');`,
    );
    const st = v2Statement(record);
    expect(st.text).toBe(
      'INSERT INTO lab_sessions (_id, lab$assistant_messages, lab$files_touched, lab$session_id, lab$timestamp_start, lab$user_messages) VALUES ($1, $2, $3, $4, $5, $6)',
    );
    expect(st.values[0]).toBe('s-1');
  });
  it('v1 transaction has no operation other than put', () => {
    expect(v1Transaction([record, record])['tx-ops'].every(([op]) => op === 'put')).toBe(true);
  });
});

describe('xtdb push v1 (loopback XTDB 1.x HTTP API)', () => {
  it('what export prints is accepted by submit-tx as is', async () => {
    const node = await startFakeXtdb1();
    try {
      const ws = await workspaceWith('resumed-base.jsonl');
      const body = (await lab(ws, 'sessions', 'xtdb', 'export')).stdout;
      const res = await request(`${node.url}/_xtdb/submit-tx`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
      expect(res.statusCode).toBe(202);
      expect(await res.body.json()).toMatchObject({ txId: 0 });
      await get(`${node.url}/_xtdb/await-tx?tx-id=0`);
      const entity = await get(`${node.url}/_xtdb/entity?eid=${RESUMED}`);
      expect(entity.body).toEqual({ 'xt/id': RESUMED, ...readJson(path.join(ws, 'lab/raw', `${RESUMED}.json`)) });
    } finally {
      await node.stop();
    }
  });

  it('sends new sessions, skips unchanged ones, sends a grown session as a new version, never evicts', async () => {
    const node = await startFakeXtdb1();
    try {
      const ws = await workspaceWith('resumed-base.jsonl', 'shell-variants.jsonl');
      const first = await lab(ws, 'sessions', 'xtdb', 'push', '--url', node.url);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^sent 2 session\(s\) to http:\/\/127\.0\.0\.1:\d+ \(tx 0\); 0 unchanged, skipped$/m);
      const sent = readJson(path.join(ws, '.lab/xtdb-sent.json')) as { targets: Record<string, Record<string, string>> };
      expect(Object.keys(sent.targets)).toEqual([`v1 ${node.url}`]);
      expect(Object.keys(sent.targets[`v1 ${node.url}`]!).sort()).toEqual(['0199a002-0000-7000-8000-00000000e002', RESUMED]);

      const again = await lab(ws, 'sessions', 'xtdb', 'push', '--url', node.url);
      expect(again.stdout).toMatch(/^nothing to send: all 2 session\(s\) already sent/);
      expect(node.txLog).toHaveLength(1);

      await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-grown.jsonl'), '--capture', 'commands');
      const third = await lab(ws, 'sessions', 'xtdb', 'push', '--url', `${node.url}/`, '--json');
      expect(JSON.parse(third.stdout)).toMatchObject({ sent: [RESUMED], skipped: ['0199a002-0000-7000-8000-00000000e002'], txId: 1 });

      const hist = await get(`${node.url}/_xtdb/entity?eid-json=${encodeURIComponent(JSON.stringify(RESUMED))}&history=true&sort-order=asc&with-docs=true`);
      const versions = hist.body as { txId: number; doc: Record<string, unknown> }[];
      expect(versions.map((v) => v.txId)).toEqual([0, 1]);
      expect(versions[0]!.doc['lab/files-touched']).toEqual(['CHANGELOG.md']);
      expect(versions[1]!.doc['lab/files-touched']).toEqual(['CHANGELOG.md', 'package.json']);
      expect(versions[1]!.doc['lab/user-messages']).toHaveLength(2);
      expect(new Set(node.opKinds)).toEqual(new Set(['put']));
    } finally {
      await node.stop();
    }
  });

  it('understands the namespaced tx map (xtdb.api/tx-id) too', async () => {
    const node = await startFakeXtdb1({ style: 'namespaced' });
    try {
      const ws = await workspaceWith('resumed-base.jsonl');
      const r = await lab(ws, 'sessions', 'xtdb', 'push', '--url', node.url, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ sent: [RESUMED], txId: 0 });
    } finally {
      await node.stop();
    }
  });

  it('a failing node is reported with the request and status, and nothing is marked as sent', async () => {
    const node = await startFakeXtdb1({ failSubmit: true });
    try {
      const ws = await workspaceWith('resumed-base.jsonl');
      const r = await lab(ws, 'sessions', 'xtdb', 'push', '--url', node.url);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`POST ${node.url}/_xtdb/submit-tx returned HTTP 500: {"error":"node is shutting down"}`);
      expect(() => readFileSync(path.join(ws, '.lab/xtdb-sent.json'))).toThrow();
    } finally {
      await node.stop();
    }
    const ws = await workspaceWith('resumed-base.jsonl');
    const down = await lab(ws, 'sessions', 'xtdb', 'push', '--url', node.url);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/_xtdb\/submit-tx failed: .*ECONNREFUSED/);
  });

  it('requires --url', async () => {
    const ws = await workspaceWith('resumed-base.jsonl');
    expect((await lab(ws, 'sessions', 'xtdb', 'push')).code).toBe(2);
  });
});

// XTDB 2 cannot be installed here: the v2 path runs against a real PostgreSQL, which accepts the same INSERT form.
describe.skipIf(!postgresAvailable() && !process.env.CI)('xtdb push v2 (Postgres wire protocol, real PostgreSQL)', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
    const sql = postgres(pg.url, { onnotice: () => {} });
    const cols = [
      '_id text NOT NULL',
      ...['assistant_messages', 'command_runs', 'commands', 'errors', 'file_notes', 'files_touched', 'git', 'user_messages'].map((c) => `lab$${c} jsonb`),
      ...[
        'capture',
        'cli_version',
        'doc_draft_path',
        'forked_from',
        'model',
        'notes',
        'repo_root',
        'session_id',
        'timestamp_end',
        'timestamp_start',
        'trace_path',
      ].map((c) => `lab$${c} text`),
      'inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()',
    ];
    await sql.unsafe(`CREATE TABLE lab_sessions (${cols.join(', ')})`);
    await sql.end();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('the printed SQL runs as is', async () => {
    const ws = await workspaceWith('envelope-current.jsonl');
    const script = (await lab(ws, 'sessions', 'xtdb', 'export', '--format', 'v2')).stdout;
    const sql = postgres(pg.url, { onnotice: () => {} });
    try {
      await sql
        .begin(async (tx) => {
          await tx.unsafe(script);
          const rows =
            await tx`SELECT _id, lab$user_messages->1->>'text' AS second, jsonb_array_length(lab$assistant_messages) AS replies FROM lab_sessions WHERE _id = '0199a001-0000-7000-8000-00000000e001'`;
          expect([...rows]).toEqual([{ _id: '0199a001-0000-7000-8000-00000000e001', second: 'Also export it from src/index.ts', replies: 3 }]);
          throw new Error('rollback');
        })
        .catch((e: Error) => {
          if (e.message !== 'rollback') throw e;
        });
    } finally {
      await sql.end();
    }
  });

  it('push inserts new versions only, keeps message order, and never deletes', async () => {
    const ws = await workspaceWith('resumed-base.jsonl', 'shell-variants.jsonl');
    const first = await lab(ws, 'sessions', 'xtdb', 'push', '--format', 'v2', '--url', pg.url);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^sent 2 session\(s\) to postgres:\/\/127\.0\.0\.1:\d+\/postgres; 0 unchanged, skipped$/m);
    const state = readFileSync(path.join(ws, '.lab/xtdb-sent.json'), 'utf8');
    expect(state).not.toContain(pg.password);
    expect((await lab(ws, 'sessions', 'xtdb', 'push', '--format', 'v2', '--url', pg.url)).stdout).toMatch(/^nothing to send/);
    await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-grown.jsonl'), '--capture', 'commands');
    expect((await lab(ws, 'sessions', 'xtdb', 'push', '--format', 'v2', '--url', pg.url)).stdout).toMatch(/^sent 1 session/);
    const sql = postgres(pg.url, { onnotice: () => {} });
    try {
      const rows = await sql`SELECT _id, lab$files_touched AS files, lab$user_messages AS users FROM lab_sessions WHERE _id = ${RESUMED} ORDER BY inserted_at`;
      expect(rows.map((r) => r.files)).toEqual([['CHANGELOG.md'], ['CHANGELOG.md', 'package.json']]);
      expect((rows[1]!.users as { id: string }[]).map((m) => m.id)).toEqual([`${RESUMED}:u001`, `${RESUMED}:u002`]);
      const { n } = (await sql`SELECT count(*)::int AS n FROM lab_sessions WHERE _id = '0199a002-0000-7000-8000-00000000e002'`)[0]!;
      expect(n).toBe(1);
    } finally {
      await sql.end();
    }
  });

  it('a failed insert is reported (with the SQLSTATE) and nothing is marked as sent', async () => {
    const ws = await workspaceWith('resumed-base.jsonl');
    const url = pg.url.replace(/\/postgres$/, '/no_such_db');
    const r = await lab(ws, 'sessions', 'xtdb', 'push', '--format', 'v2', '--url', url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INSERT into postgres:\/\/postgres:\[REDACTED\]@127\.0\.0\.1:\d+\/no_such_db failed \(3D000\)/);
    expect(r.stderr).not.toContain(pg.password);
  });
});
