import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabError } from '../../src/core/diagnostics.ts';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { allBlobText, makeWorkspace, PAGE, read, userPart } from './helpers.ts';

const TOKEN = 'sk-live-9f8e7d6c5b4a-secret';
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/items') {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'session=abc123; HttpOnly', 'x-request-id': 'r-1' });
      res.end(JSON.stringify({ items: [1, 2, 3], q: url.searchParams.get('q'), echoed: JSON.parse(body || 'null') }));
    } else if (url.pathname === '/broken') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance until 10:00');
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 3000);
    } else if (url.pathname === '/png') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const entry = (id: string, type: string, inputs: string) => `---
id: ${id}
title: HTTP check
type: ${type}
inputs:
${inputs}
---
Body stays.
`;
const front = (text: string) => splitMarkdown(text).data as Record<string, any>;

describe('http integration', { timeout: 30_000 }, () => {
  it('POSTs JSON with a secret header from ${env:…} and records status, headers, timing and the body artifact', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-post.md`]: entry(
        'h-post',
        'http',
        `  method: post
  url: ${base}/items
  query: {q: "{{parameters.term}}", page: 2}
  headers: {Authorization: "Bearer \${env:LAB_TEST_API_TOKEN}"}
  body: {name: "sunset", n: 3}
  parameters: {term: lakes}`,
      ),
    });
    const before = await read(root, `${PAGE}/001-post.md`);
    const result = await executeEntry(path.join(root, PAGE, '001-post.md'), { env: { ...process.env, LAB_TEST_API_TOKEN: TOKEN } });
    expect(result.outcome).toBe('completed');
    const req = seen.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/items?q=lakes&page=2');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ name: 'sunset', n: 3 });
    const text = await read(root, `${PAGE}/001-post.md`);
    expect(userPart(text)).toBe(before);
    const fm = front(text);
    expect(fm.outputs.status_code).toBe(200);
    expect(fm.outputs.request).toEqual({
      method: 'POST',
      url: `${base}/items?q=lakes&page=2`,
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
    });
    expect(fm.outputs.headers['set-cookie']).toBe('[redacted]');
    expect(fm.outputs.headers['x-request-id']).toBe('r-1');
    expect(fm.outputs.timing_ms.total).toBeGreaterThan(0);
    expect(fm.artifacts).toHaveLength(1);
    expect(fm.artifacts[0]).toMatchObject({ name: 'response.json', type: 'application/json' });
    const body = JSON.parse((await new BlobStore(root).read(fm.artifacts[0].hash)).toString());
    expect(body).toEqual({ items: [1, 2, 3], q: 'lakes', echoed: { name: 'sunset', n: 3 } });
    expect(text).not.toContain(TOKEN);
    expect(await allBlobText(root)).not.toContain(TOKEN);
  });

  it('redacts a secret the server echoes back in a text body before storing it', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/008-echo.md`]: entry(
        'h-echo',
        'http',
        `  method: POST\n  url: ${base}/items\n  headers: {Authorization: "Bearer \${env:LAB_TEST_API_TOKEN}"}\n  body: {token: "\${env:LAB_TEST_API_TOKEN}"}`,
      ),
    });
    await executeEntry(path.join(root, PAGE, '008-echo.md'), { env: { ...process.env, LAB_TEST_API_TOKEN: TOKEN } });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ token: TOKEN });
    const blobs = await allBlobText(root);
    expect(blobs).toContain('"echoed":{"token":"${env:LAB_TEST_API_TOKEN}"}');
    expect(blobs).not.toContain(TOKEN);
    expect(await read(root, `${PAGE}/008-echo.md`)).not.toContain(TOKEN);
  });

  it('a non-2xx answer is a failed run that keeps its outputs (alias api_call)', async () => {
    const root = await makeWorkspace({ [`${PAGE}/002-503.md`]: entry('h-503', 'api_call', `  url: ${base}/broken`) });
    const result = await executeEntry(path.join(root, PAGE, '002-503.md'));
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/002-503.md`));
    expect(fm.status).toBe('failed');
    expect(fm.execution.error).toBe(`GET ${base}/broken answered HTTP 503`);
    expect(fm.outputs.status_code).toBe(503);
    expect(fm.outputs.body_preview).toBe('maintenance until 10:00');
    expect(fm.artifacts[0].name).toBe('response.txt');
  });

  it('sends a ./file body as bytes; the file is part of the inputs hash', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/007-file.md`]: entry(
        'h-file',
        'http',
        `  method: PUT\n  url: ${base}/items\n  headers: {Authorization: "Bearer ${TOKEN}", Content-Type: application/json}\n  body: ./payload.json`,
      ),
      [`${PAGE}/payload.json`]: '{"from": "file"}',
    });
    const result = await executeEntry(path.join(root, PAGE, '007-file.md'));
    expect(result.outcome).toBe('completed');
    expect(seen.at(-1)!.body).toBe('{"from": "file"}');
    expect(seen.at(-1)!.headers['content-type']).toBe('application/json');
    expect(result.inputs_hash).toMatch(/^sha256:/);
  });

  it('stores binary bodies with their content type', async () => {
    const root = await makeWorkspace({ [`${PAGE}/003-png.md`]: entry('h-png', 'http', `  url: ${base}/png`) });
    await executeEntry(path.join(root, PAGE, '003-png.md'));
    const fm = front(await read(root, `${PAGE}/003-png.md`));
    expect(fm.artifacts[0]).toMatchObject({ name: 'response.png', type: 'image/png', size_bytes: 8 });
  });

  it('an unreachable server and a timeout are clear failures', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/004-down.md`]: entry('h-down', 'http', '  url: http://127.0.0.1:1/nothing'),
      [`${PAGE}/005-slow.md`]: entry('h-slow', 'http', `  url: ${base}/slow\n  timeout: 300ms`),
    });
    await executeEntry(path.join(root, PAGE, '004-down.md'));
    expect(front(await read(root, `${PAGE}/004-down.md`)).execution.error).toBe(
      'GET http://127.0.0.1:1/nothing failed: connection refused (is the server running?)',
    );
    await executeEntry(path.join(root, PAGE, '005-slow.md'));
    expect(front(await read(root, `${PAGE}/005-slow.md`)).execution.error).toBe(`GET ${base}/slow timed out after 300ms`);
  });

  it('invalid inputs are refused before anything runs', async () => {
    const root = await makeWorkspace({ [`${PAGE}/006-bad.md`]: entry('h-bad', 'http', '  url: not-a-url\n  method: FETCH') });
    const before = await read(root, `${PAGE}/006-bad.md`);
    const error = (await executeEntry(path.join(root, PAGE, '006-bad.md')).catch((e) => e)) as LabError;
    expect(error.message).toBe('content/notebooks/nb/page-one/entries/006-bad.md: 2 problems in `inputs`');
    expect(error.diagnostics.map((d) => d.message)).toEqual([
      '`inputs.url` must be an absolute http:// or https:// URL (got "not-a-url")',
      '`inputs.method` must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (got "FETCH")',
    ]);
    expect(await read(root, `${PAGE}/006-bad.md`)).toBe(before);
  });
});
