/**
 * Local security, case by case: DNS rebinding (a foreign Host), cross-site requests (a foreign Origin,
 * look-alikes included), missing token, WebSockets from other sites, CORS, and the non-loopback bind.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { main } from '../../src/cli/index.ts';
import { startServer } from '../../src/serve/server.ts';
import { FIXTURE, type Served, serveFixture } from './helpers.ts';

let s: Served;
beforeAll(async () => {
  s = await serveFixture();
});
afterAll(async () => s?.stop());

/** A raw request, so Host can be anything (fetch does not let a caller set it). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.server.port, method, path, headers: { Host: `127.0.0.1:${s.server.port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ Authorization: `Bearer ${s.server.token}` });

describe('Host (DNS rebinding)', () => {
  test.each([
    'evil.example',
    `evil.example:PORT`,
    `127.0.0.1.nip.io:PORT`,
    `localhost.evil.com:PORT`,
    `127.0.0.1:1`,
    `127.0.0.1`,
    `127.0.0.1:PORT.evil.com`,
    `0x7f000001:PORT`,
  ])('Host %j is refused', async (host) => {
    const res = await raw('GET', '/api/notebooks', { ...auth(), Host: host.replace('PORT', String(s.server.port)) });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toMatch(/^refused: Host/);
  });

  test.each(['127.0.0.1:PORT', 'localhost:PORT', 'LOCALHOST:PORT', '[::1]:PORT'])('Host %j is this server', async (host) => {
    expect((await raw('GET', '/api/notebooks', { ...auth(), Host: host.replace('PORT', String(s.server.port)) })).status).toBe(200);
  });

  test('a request without Host (HTTP/1.0) is refused', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(s.server.port, '127.0.0.1', () => sock.write(`GET /api/notebooks HTTP/1.0\r\nAuthorization: Bearer ${s.server.token}\r\n\r\n`));
      let text = '';
      sock.on('data', (d) => (text += d));
      sock.on('end', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 403/);
  });

  test('site pages and the lab app are refused too', async () => {
    expect((await raw('GET', '/_lab/', { Host: 'attacker.example' })).status).toBe(403);
  });
});

describe('Origin (cross-site requests)', () => {
  const foreign = [
    'http://attacker.example',
    'http://127.attacker.example',
    'http://127.0.0.1.attacker.example:PORT',
    'http://localhost.evil.com:PORT',
    'https://127.0.0.1:PORT',
    'http://127.0.0.1:1',
    'null',
    'http://127.0.0.1:PORT@evil.com',
    'file://',
    'http://[::1].evil.com:PORT',
  ];
  test.each(foreign)('Origin %j may not write', async (origin) => {
    const res = await raw(
      'POST',
      '/api/notebooks',
      { ...auth(), Origin: origin.replace('PORT', String(s.server.port)), 'Content-Type': 'application/json' },
      '{"title":"pwned"}',
    );
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test.each(foreign)('Origin %j may not read either', async (origin) => {
    expect((await raw('GET', '/api/notebooks', { ...auth(), Origin: origin.replace('PORT', String(s.server.port)) })).status).toBe(403);
  });

  test('a browser saying cross-site is refused; no CORS preflight succeeds', async () => {
    expect((await raw('GET', '/api/notebooks', { ...auth(), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const pre = await raw('OPTIONS', '/api/notebooks', { Origin: 'http://attacker.example', 'Access-Control-Request-Method': 'POST' });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('its own origin may write (with the token)', async () => {
    const res = await raw(
      'POST',
      '/api/notebooks',
      { ...auth(), Origin: `http://127.0.0.1:${s.server.port}`, 'Content-Type': 'application/json' },
      '{"title":"Mine"}',
    );
    expect(res.status).toBe(201);
  });
});

describe('token', () => {
  test('every API call needs it; a wrong one is refused', async () => {
    expect((await raw('GET', '/api/entries/entry-lr-baseline', {})).status).toBe(401);
    expect((await raw('POST', '/api/notebooks', { 'Content-Type': 'application/json' }, '{"title":"x"}')).status).toBe(401);
    expect((await raw('POST', '/api/notebooks', { Authorization: 'Bearer wrong', 'Content-Type': 'application/json' }, '{"title":"x"}')).status).toBe(401);
    expect((await raw('GET', '/api/notebooks', { Cookie: `lab_token_${s.server.port}=wrong` })).status).toBe(401);
    expect((await raw('GET', '/api/notebooks', { Cookie: `lab_token_1=${s.server.token}` })).status).toBe(401);
  });

  test('the printed URL sets an HttpOnly, SameSite=Strict cookie and drops the token from the address', async () => {
    const res = await raw('GET', `/?token=${s.server.token}`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^lab_token_${s.server.port}=${s.server.token}; HttpOnly; SameSite=Strict; Path=/`));
    expect((await raw('GET', '/api/notebooks', { Cookie: cookie.split(';')[0]! })).status).toBe(200);
    expect((await raw('GET', '/?token=guess', {})).status).toBe(401);
  });

  test('a fresh token per start', async () => {
    const other = await startServer({ root: s.root, port: 0, site: false });
    try {
      expect(other.token).not.toBe(s.server.token);
      expect(other.token.length).toBeGreaterThanOrEqual(32);
    } finally {
      await other.close();
    }
  });
});

describe('WebSocket', () => {
  const connect = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${s.server.port}${path}`, { headers });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('error', () => resolve(-1));
    });

  test('refused without the token, from a foreign origin or with a foreign Host', async () => {
    const path = '/ws/entries/entry-lr-baseline/execute';
    expect(await connect(path, {})).toBe(401);
    expect(await connect(`${path}?token=${s.server.token}`, { Origin: 'http://127.attacker.example' })).toBe(403);
    expect(await connect(`${path}?token=${s.server.token}`, { Host: 'rebind.attacker.example' })).toBe(403);
    expect(await connect(`/ws/runs/run-x?token=${s.server.token}`, { Origin: `http://localhost.evil.com:${s.server.port}` })).toBe(403);
    expect(await connect(`/ws/runs/run-nope?token=${s.server.token}`, {})).toBe(404);
  });
});

describe('binding', () => {
  test('a non-loopback address needs --allow-remote', async () => {
    await expect(startServer({ root: FIXTURE, host: '0.0.0.0', port: 0, site: false })).rejects.toThrow(/--allow-remote/);
    const errors: string[] = [];
    const code = await main(['-C', FIXTURE, 'serve', '--host', '0.0.0.0', '--no-site'], { out: () => {}, err: (t) => errors.push(t) });
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/--allow-remote/);
  });

  test('a port in use is a clear error, not a stack trace', async () => {
    const errors: string[] = [];
    const code = await main(['-C', s.root, 'serve', '--no-site', '--port', String(s.server.port)], { out: () => {}, err: (t) => errors.push(t) });
    expect(code).toBe(1);
    expect(errors.join('\n')).toBe(
      `lab serve: port ${s.server.port} on 127.0.0.1 is in use (another lab serve?); pick another with --port, or --port 0 for any free one`,
    );
  });

  test('with --allow-remote, a DNS name that is not this machine is still refused', async () => {
    const open = await startServer({ root: s.root, host: '0.0.0.0', port: 0, site: false, allowRemote: true });
    try {
      const res = await fetch(`http://127.0.0.1:${open.port}/api/notebooks`, { headers: { Authorization: `Bearer ${open.token}` } });
      expect(res.status).toBe(200);
      const status = await new Promise<number>((resolve) => {
        request(
          {
            host: '127.0.0.1',
            port: open.port,
            path: '/api/notebooks',
            headers: { Host: `rebind.attacker.example:${open.port}`, Authorization: `Bearer ${open.token}` },
          },
          (r) => resolve(r.statusCode!),
        ).end();
      });
      expect(status).toBe(403);
    } finally {
      await open.close();
    }
  });
});
