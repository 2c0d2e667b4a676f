/**
 * A loopback stand-in for an XTDB 1.x node's HTTP API (XTDB cannot be installed
 * here), faithful to the parts the push uses, in the shapes of XTDB's own
 * http-server JSON tests: `POST /_xtdb/submit-tx` answers 202 with the submitted
 * tx, indexing happens asynchronously, `GET /_xtdb/await-tx` waits for it, and
 * `GET /_xtdb/entity` serves the current document or, with `history=true`,
 * every version (`withDocs`, `sortOrder`). Puts never erase older versions.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Doc = Record<string, unknown> & { 'xt/id': unknown };
interface Version {
  txId: number;
  txTime: string;
  validTime: string;
  contentHash: string;
  doc: Doc | null;
}
interface Tx {
  txId: number;
  txTime: string;
  ops: unknown[];
  indexed: boolean;
}

export interface FakeXtdb {
  url: string;
  txLog: Tx[];
  /** Every operation kind ever submitted (the push must only ever put). */
  opKinds: string[];
  stop(): Promise<void>;
}

/** `style` picks the JSON key style of tx maps: `camel` (txId, 1.20+) or `namespaced` (xtdb.api/tx-id, older docs). */
export async function startFakeXtdb1(options: { style?: 'camel' | 'namespaced'; failSubmit?: boolean } = {}): Promise<FakeXtdb> {
  const style = options.style ?? 'camel';
  const txLog: Tx[] = [];
  const opKinds: string[] = [];
  const history = new Map<string, Version[]>();
  const txMap = (tx: Tx) => (style === 'camel' ? { txId: tx.txId, txTime: tx.txTime } : { 'xtdb.api/tx-id': tx.txId, 'xtdb.api/tx-time': tx.txTime });
  const key = (eid: unknown) => JSON.stringify(eid);
  const send = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const index = (tx: Tx) => {
    for (const op of tx.ops as unknown[][]) {
      const [kind, arg, validTime] = op;
      if (kind === 'put') {
        const doc = arg as Doc;
        const versions = history.get(key(doc['xt/id'])) ?? [];
        versions.push({
          txId: tx.txId,
          txTime: tx.txTime,
          validTime: typeof validTime === 'string' ? new Date(validTime).toISOString() : tx.txTime,
          contentHash: createHash('sha1').update(JSON.stringify(doc)).digest('hex'),
          doc,
        });
        history.set(key(doc['xt/id']), versions);
      } else if (kind === 'delete') {
        const versions = history.get(key(arg)) ?? [];
        versions.push({ txId: tx.txId, txTime: tx.txTime, validTime: tx.txTime, contentHash: '0000000000000000000000000000000000000000', doc: null });
        history.set(key(arg), versions);
      } else if (kind === 'evict') history.delete(key(arg));
    }
    tx.indexed = true;
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const q = (names: string[]) => names.map((n) => url.searchParams.get(n)).find((v) => v !== null) ?? null;
      if (req.method === 'POST' && url.pathname === '/_xtdb/submit-tx') {
        if (options.failSubmit) return send(res, 500, { error: 'node is shutting down' });
        if (!String(req.headers['content-type']).startsWith('application/json')) return send(res, 415, { error: 'unsupported content type' });
        let parsed: { 'tx-ops'?: unknown };
        try {
          parsed = JSON.parse(body) as { 'tx-ops'?: unknown };
        } catch {
          return send(res, 400, { error: 'malformed JSON' });
        }
        const ops = parsed['tx-ops'];
        if (!Array.isArray(ops) || !ops.length) return send(res, 400, { error: 'tx-ops must be a non-empty array' });
        for (const op of ops) {
          if (!Array.isArray(op) || !['put', 'delete', 'evict', 'match', 'fn'].includes(op[0]))
            return send(res, 400, { error: `invalid tx-op ${JSON.stringify(op).slice(0, 80)}` });
          if (op[0] === 'put' && (!op[1] || typeof op[1] !== 'object' || !('xt/id' in op[1])))
            return send(res, 400, { error: 'put: the document needs an xt/id' });
          opKinds.push(op[0]);
        }
        const tx: Tx = { txId: txLog.length, txTime: new Date(Date.now() + txLog.length).toISOString(), ops, indexed: false };
        txLog.push(tx);
        setTimeout(() => index(tx), 25); // indexing is asynchronous, as on a real node
        return send(res, 202, txMap(tx));
      }
      if (req.method === 'GET' && url.pathname === '/_xtdb/await-tx') {
        const id = Number(q(['tx-id', 'txId']));
        const timeout = Number(q(['timeout']) ?? 10_000);
        const tx = txLog[id];
        if (!tx) return send(res, 400, { error: `tx ${id} not submitted` });
        const started = Date.now();
        const poll = () => {
          if (tx.indexed) return send(res, 200, txMap(tx));
          if (Date.now() - started > timeout) return send(res, 500, { error: 'timeout awaiting tx' });
          setTimeout(poll, 5);
        };
        return poll();
      }
      if (req.method === 'GET' && url.pathname === '/_xtdb/entity') {
        const json = q(['eid-json', 'eidJson']);
        const eid = json !== null ? (JSON.parse(json) as unknown) : q(['eid']);
        const versions = history.get(key(eid)) ?? [];
        if (q(['history']) === 'true') {
          const withDocs = q(['with-docs', 'withDocs']) === 'true';
          const list = versions.map((v) => ({
            txTime: v.txTime,
            txId: v.txId,
            validTime: v.validTime,
            contentHash: v.contentHash,
            ...(withDocs ? { doc: v.doc } : {}),
          }));
          return send(res, 200, q(['sort-order', 'sortOrder']) === 'desc' ? list.reverse() : list);
        }
        const current = versions[versions.length - 1]?.doc;
        return current ? send(res, 200, current) : send(res, 404, { error: `${String(eid)} entity not found` });
      }
      send(res, 404, { error: 'no such endpoint' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    txLog,
    opKinds,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
