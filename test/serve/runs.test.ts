/**
 * Run events: a 2,000-line run followed through 20 abrupt disconnects yields every line once, in
 * order; a run goes on when its clients are gone; a run started by `lab run` in a terminal streams
 * to the browser too, and one whose process is killed ends as interrupted.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { prng } from '../../scripts/prng.ts';
import { executeSocket, openRunSocket, PAGE_ID, type Served, serveFixture, until } from './helpers.ts';

const LAB = path.resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts');
let s: Served;
beforeAll(async () => {
  s = await serveFixture();
});
afterAll(async () => s?.stop());

async function newEntry(title: string, command: string): Promise<{ id: string; source: { path: string } }> {
  const res = await s.call('POST', `/api/pages/${PAGE_ID}/entries`, { body: { type: 'command', title, inputs: { command } } });
  expect(res.status).toBe(201);
  return res.json() as Promise<any>;
}

/** Every event of a run from `since`, until the server closes the socket; and the close code. */
async function collect(runId: string, since = 0): Promise<{ events: any[]; code: number }> {
  const events: any[] = [];
  const { closed } = await openRunSocket(s.server, runId, since, (e) => events.push(e));
  return { events, code: await closed };
}

const TWO_THOUSAND = 'seq 1 2000 | while read i; do echo "line $i"; [ $((i % 50)) -eq 0 ] && sleep 0.1; done; true';

test('a 2,000-line run watched through 20 random disconnects yields every line exactly once, in order', async () => {
  const entry = await newEntry('Two thousand lines', TWO_THOUSAND);
  const started = (await (await s.call('POST', `/api/entries/${entry.id}/execute`)).json()) as any;
  const random = prng(16);
  const seen: any[] = [];
  let lastSeq = 0;
  let disconnects = 0;
  let ended = false;
  while (!ended || disconnects < 20) {
    const { ws, closed } = await openRunSocket(s.server, started.run_id, lastSeq, (e) => {
      seen.push(e);
      lastSeq = e.seq;
      if (['completed', 'failed', 'interrupted'].includes(e.type)) ended = true;
    });
    if (disconnects < 20) {
      await new Promise((r) => setTimeout(r, 20 + random() * 250));
      ws.terminate(); // abrupt: no close handshake, as when a laptop sleeps or Wi-Fi drops
      disconnects++;
    }
    await closed;
  }
  expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
  expect(seen.at(-1).type).toBe('completed');
  const lines = seen
    .filter((e) => e.type === 'log')
    .map((e) => e.text)
    .join('')
    .split('\n')
    .filter(Boolean);
  expect(lines).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`));
  expect(readFileSync(path.join(s.root, entry.source.path), 'utf8')).toMatch(/\nstatus: completed\n/);
}, 60_000);

test('a run goes on when every client has gone, and its events stay', async () => {
  const entry = await newEntry('Outlives its clients', 'echo first; sleep 1; echo second');
  let first: any;
  await executeSocket(s.server, entry.id, (e, ws) => {
    first ??= e;
    ws.terminate();
  });
  expect(first).toMatchObject({ seq: 1, type: 'started', entry_id: entry.id });
  await until(() => readFileSync(path.join(s.root, entry.source.path), 'utf8').includes('status: completed'));
  const { events: replay, code } = await collect(first.run_id);
  expect(code).toBe(1000);
  expect(replay.map((e) => e.type)).toEqual(['started', 'progress', 'log', 'log', 'completed']);
  expect(
    replay
      .filter((e) => e.type === 'log')
      .map((e) => e.text)
      .join(''),
  ).toBe('first\nsecond\n');
  // Asking from the last seq gives nothing more, and says so by closing.
  const after = await collect(first.run_id, 5);
  expect(after).toEqual({ events: [], code: 1000 });
}, 30_000);

test('the execute socket refuses as the CLI does', async () => {
  const messages: any[] = [];
  expect(await executeSocket(s.server, 'entry-lr-whiteboard', (e) => messages.push(e))).toBe(1000); // a manual entry: runs at once
  expect(messages.at(-1)).toMatchObject({ type: 'completed' });
  const refused: any[] = [];
  expect(await executeSocket(s.server, 'entry-lr-whiteboard', (e) => refused.push(e))).toBe(4409);
  expect(refused).toEqual([expect.objectContaining({ type: 'error', status: 409, reason: expect.stringMatching(/is completed and up to date/) })]);
  expect(await executeSocket(s.server, 'entry-nope', () => {})).toBe(4404);
}, 15_000);

test('a run started by `lab run` in a terminal streams to the server; a killed one ends interrupted', async () => {
  const entry = await newEntry('From the terminal', 'for i in 1 2 3 4 5; do echo "tick $i"; sleep 0.3; done');
  const child = spawn(process.execPath, [LAB, 'run', entry.id], { cwd: s.root, stdio: 'ignore', env: { ...process.env, CI: '' } });
  let runId = '';
  await until(async () => {
    const { runs } = (await (await s.call('GET', `/api/runs?entry_id=${entry.id}`)).json()) as any;
    runId = runs[0]?.run_id ?? '';
    return Boolean(runId);
  });
  const { events } = await collect(runId);
  await new Promise((r) => (child.exitCode === null ? child.on('exit', r) : r(null)));
  expect(events[0]).toMatchObject({ type: 'started', pid: child.pid, entry_id: entry.id });
  expect(
    events
      .filter((e) => e.type === 'log')
      .map((e) => e.text)
      .join(''),
  ).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
  expect(events.at(-1).type).toBe('completed');
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

  const doomed = await newEntry('Killed in the terminal', 'echo going; sleep 30');
  const victim = spawn(process.execPath, [LAB, 'run', doomed.id], { cwd: s.root, stdio: 'ignore', env: { ...process.env, CI: '' } });
  let doomedRun = '';
  await until(async () => {
    const { runs } = (await (await s.call('GET', `/api/runs?entry_id=${doomed.id}`)).json()) as any;
    doomedRun = runs[0]?.run_id ?? '';
    return Boolean(doomedRun);
  });
  const seen: any[] = [];
  const { closed } = await openRunSocket(s.server, doomedRun, 0, (e) => seen.push(e));
  await until(() => seen.some((e) => e.type === 'log'));
  victim.kill('SIGKILL');
  await closed;
  expect(seen.at(-1)).toMatchObject({ type: 'interrupted' });
  expect(seen.at(-1).message).toMatch(/is gone/);
}, 60_000);

test('secrets stay out of the event log and the stream', async () => {
  process.env.LAB_SERVE_TEST_SECRET = 'hunter2-s3cr3t';
  try {
    const entry = await newEntry('Uses a secret', 'echo "token=${env:LAB_SERVE_TEST_SECRET}"; echo "$LAB_SERVE_TEST_SECRET" >&2');
    const started = (await (await s.call('POST', `/api/entries/${entry.id}/execute`)).json()) as any;
    const { events } = await collect(started.run_id);
    expect(events.at(-1).type).toBe('completed');
    const streamed = JSON.stringify(events);
    expect(streamed).toContain('token=${env:LAB_SERVE_TEST_SECRET}');
    expect(streamed).not.toContain('hunter2-s3cr3t');
    expect(readFileSync(path.join(s.root, '.lab', 'runs', `${started.run_id}.jsonl`), 'utf8')).not.toContain('hunter2-s3cr3t');
  } finally {
    delete process.env.LAB_SERVE_TEST_SECRET;
  }
}, 30_000);
