/**
 * Two API clients and an editor change one entry at the same time: no write is lost. A client whose
 * copy is stale gets 409 and tries again on the new version; the editor's saves are never overwritten.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Served, serveFixture } from './helpers.ts';

const ENTRY = 'entry-lr-whiteboard';
const FILE = 'content/notebooks/training/2026-03-02-learning-rate/entries/002-lab-notes.md';
let s: Served;
beforeAll(async () => {
  s = await serveFixture();
});
afterAll(async () => s?.stop());

async function read(): Promise<{ notes: string; etag: string }> {
  const res = await s.call('GET', `/api/entries/${ENTRY}`);
  const entry = (await res.json()) as any;
  return { notes: entry.metadata.notes, etag: res.headers.get('etag')! };
}

test('a stale copy is refused with 409, not merged or overwritten', async () => {
  const a = await read();
  const b = await read();
  const first = await s.call('PATCH', `/api/entries/${ENTRY}/notes`, { body: { content: `${a.notes}\n\nA was here.` }, headers: { 'If-Match': a.etag } });
  expect(first.status).toBe(200);
  const second = await s.call('PATCH', `/api/entries/${ENTRY}/notes`, { body: { content: `${b.notes}\n\nB was here.` }, headers: { 'If-Match': b.etag } });
  expect(second.status).toBe(409);
  // The editor saves the file; the API client that read before the save is refused.
  const before = await read();
  const abs = path.join(s.root, FILE);
  writeFileSync(abs, readFileSync(abs, 'utf8').replace('A was here.', 'A was here. The editor too.'));
  const third = await s.call('PATCH', `/api/entries/${ENTRY}/notes`, { body: { rating: 4 }, headers: { 'If-Match': before.etag } });
  expect(third.status).toBe(409);
  expect(readFileSync(abs, 'utf8')).toContain('A was here. The editor too.');
});

test('two clients and an editor appending at once: every line lands exactly once', async () => {
  const abs = path.join(s.root, FILE);
  const rounds = 15;
  let conflicts = 0;
  const client = async (name: string) => {
    for (let i = 0; i < rounds; i++) {
      for (;;) {
        const { notes, etag } = await read();
        const res = await s.call('PATCH', `/api/entries/${ENTRY}/notes`, { body: { content: `${notes}\n- ${name} ${i}` }, headers: { 'If-Match': etag } });
        if (res.status === 200) break;
        expect(res.status).toBe(409);
        conflicts++;
      }
    }
  };
  const editor = async () => {
    for (let i = 0; i < rounds; i++) {
      await new Promise((r) => setTimeout(r, 3 + (i % 5)));
      // An editor's save: read, change, write — in one go, as a person's save is.
      const text = readFileSync(abs, 'utf8');
      writeFileSync(abs, text.replace(/\n*$/, `\n- editor ${i}\n`));
    }
  };
  await Promise.all([client('A'), client('B'), editor()]);
  const body = readFileSync(abs, 'utf8');
  for (const name of ['A', 'B', 'editor']) {
    for (let i = 0; i < rounds; i++)
      expect(
        body.split('\n').filter((l) => l === `- ${name} ${i}`),
        `${name} ${i}`,
      ).toHaveLength(1);
  }
  expect(conflicts).toBeGreaterThan(0);
  // The header is intact: it is still the same entry.
  expect(body).toMatch(/^---\nid: entry-lr-whiteboard\n/);
}, 60_000);
