import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import uniorgParse from 'uniorg-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lab, ROLLOUTS, readJson, tmpWorkspace } from './helpers.ts';
import { completion, startOpenAiServer } from './support/openai-server.ts';

const ENV = '0199a001-0000-7000-8000-00000000e001';
const RESUMED = '0199a004-0000-7000-8000-00000000e004';

async function imported(...flags: string[]) {
  const ws = await tmpWorkspace();
  await lab(ws, 'sessions', 'import', '--force', ROLLOUTS, ...flags);
  return ws;
}

const stub = (ws: string, id: string) => readFileSync(path.join(ws, 'lab/stubs', `${id}.org`), 'utf8');

describe('sessions summarize (deterministic)', () => {
  beforeEach(() => {
    for (const k of ['LAB_SUMMARIZER_URL', 'LAB_SUMMARIZER_MODEL', 'LAB_SUMMARIZER_API_KEY', 'LAB_SUMMARIZER_TIMEOUT_MS']) delete process.env[k];
  });

  it('writes an Org stub with a drawer and Context / Delta / Verification', async () => {
    const ws = await imported('--capture', 'commands');
    const r = await lab(ws, 'sessions', 'summarize', ENV);
    expect(r.code).toBe(0);
    const text = stub(ws, ENV);
    expect(text).toMatch(
      /^:PROPERTIES:\n:SESSION_ID: 0199a001-0000-7000-8000-00000000e001\n:SESSION_START: 2026-03-01T10:00:00.000Z\n:SESSION_END: 2026-03-01T10:01:02.000Z\n:REPO: \/home\/dev\/proj\n/,
    );
    expect(text).toContain(':FILES_TOUCHED: 2\n');
    expect(text).toContain('#+TITLE: Add a greet() helper and document it in the README\n');
    expect(text).toContain('* Context\nThe session was asked:\n#+begin_quote\n  Add a greet() helper and document it in the README\n#+end_quote\n');
    expect(text).toContain('Follow-up requests:\n- Also export it from src/index.ts\n');
    expect(text).toContain('* Delta\n- =README.md= — updated (+3 −1)\n');
    expect(text).toContain(
      '- =src/greet.ts= — added (+4 −1), 2 patches\n  Added greet() in src/greet.ts and documented it in README.md. pnpm test passes (1 passed).\n',
    );
    expect(text).toContain('* Verification\n- ~OPENAI_API_KEY=[REDACTED] pnpm test~ — failed (exit 1 in 4.3 s)\n- ~pnpm test~ — passed (exit 0 in 2.5 s)\n');
    expect(text).toContain('Errors:\n- ~OPENAI_API_KEY=[REDACTED] pnpm test~ exited with code 1: FAIL src/greet.test.ts\n');
    expect(text).not.toMatch(/the user (asked|said)|the assistant (said|replied)|in this (chat|conversation)/i);
    // It is real Org: uniorg finds the three sections and the drawer.
    const tree = unified().use(uniorgParse).parse(text) as unknown as { children: { type: string; children?: { type: string; rawValue?: string }[] }[] };
    const headlines = tree.children.filter((n) => n.type === 'section').map((s) => s.children?.find((c) => c.type === 'headline')?.rawValue);
    expect(headlines).toEqual(['Context', 'Delta', 'Verification']);
  });

  it('says so when commands were not captured, and escapes prompts that look like Org', async () => {
    const ws = await imported();
    const file = path.join(ws, 'lab/raw', `${RESUMED}.json`);
    const rec = readJson(file) as { 'lab/user-messages': { text: string }[] };
    rec['lab/user-messages'][0]!.text = '* not a heading\n#+TITLE: not a keyword';
    writeFileSync(file, JSON.stringify(rec, null, 2));
    await lab(ws, 'sessions', 'summarize', RESUMED);
    const text = stub(ws, RESUMED);
    expect(text).toContain('Commands were not captured (import with =--capture commands= to record them and their outcomes).');
    expect(text).toContain('#+begin_quote\n  * not a heading\n  #+TITLE: not a keyword\n#+end_quote');
    expect(text.match(/^#\+TITLE:/gm)).toHaveLength(1);
  });

  it('writes the doc draft, points the raw record at it, and regenerates the index; a second run changes nothing', async () => {
    const ws = await imported('--capture', 'commands');
    const r = await lab(ws, 'sessions', 'summarize', '--all');
    expect(r.code).toBe(0);
    const draft = readJson(path.join(ws, 'lab/doc-drafts', `${ENV}.json`));
    expect(draft['doc/status']).toBe('draft');
    expect(draft['doc/session-id']).toBe(ENV);
    expect(draft['doc/changes']).toEqual([
      { file: 'README.md', summary: 'updated (+3 −1): Added greet() in src/greet.ts and documented it in README.md. pnpm test passes (1 passed).' },
      { file: 'src/greet.ts', summary: 'added (+4 −1), 2 patches: Added greet() in src/greet.ts and documented it in README.md. pnpm test passes (1 passed).' },
    ]);
    expect(Object.keys(draft).every((k) => k.startsWith('doc/'))).toBe(true);
    expect(readJson(path.join(ws, 'lab/raw', `${ENV}.json`))['lab/doc-draft-path']).toBe(`lab/doc-drafts/${ENV}.json`);
    const index = readFileSync(path.join(ws, 'lab/index.org'), 'utf8');
    const links = index.split('\n').filter((l) => l.startsWith('- '));
    expect(links).toHaveLength(6);
    expect(links[0]).toBe(
      '- 2026-03-04 08:00 UTC [[file:stubs/0199a005-0000-7000-8000-00000000e005.org][Instead, put the changelog under docs/]] (1 file touched)',
    );
    expect(links[5]).toContain('2025-06-01 12:00 UTC [[file:stubs/5973b6c0-0000-4000-8000-00000000e006.org][Fix the typo in docs/intro.md]]');
    const before = stub(ws, ENV);
    const again = await lab(ws, 'sessions', 'summarize', '--all');
    expect(again.stdout).not.toMatch(/^(created|updated) /m);
    expect(stub(ws, ENV)).toBe(before);
    expect((await lab(ws, 'sessions', 'index')).stdout).toMatch(/^unchanged lab\/index\.org \(6 sessions\)/);
    // Re-importing after summarize keeps the doc-draft path: still byte-identical.
    expect((await lab(ws, 'sessions', 'import', '--force', ROLLOUTS, '--capture', 'commands')).stdout).toMatch(/6 unchanged/);
  });

  it('never overwrites a stub edited by hand, unless --force', async () => {
    const ws = await imported();
    await lab(ws, 'sessions', 'summarize', RESUMED);
    const file = path.join(ws, 'lab/stubs', `${RESUMED}.org`);
    const edited = `${readFileSync(file, 'utf8')}\n* My notes\nShipped.\n`;
    writeFileSync(file, edited);
    const r = await lab(ws, 'sessions', 'summarize', RESUMED);
    expect(r.stdout).toContain('was edited by hand and was left as is');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    await lab(ws, 'sessions', 'summarize', RESUMED, '--force');
    expect(readFileSync(file, 'utf8')).not.toContain('My notes');
  });

  it('usage errors and unknown sessions', async () => {
    const ws = await imported();
    expect((await lab(ws, 'sessions', 'summarize')).code).toBe(2);
    const r = await lab(ws, 'sessions', 'summarize', 'no-such-session');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no session no-such-session');
  });
});

describe('sessions summarize with a model (loopback OpenAI-compatible server)', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
    for (const k of ['LAB_SUMMARIZER_URL', 'LAB_SUMMARIZER_MODEL', 'LAB_SUMMARIZER_API_KEY', 'LAB_SUMMARIZER_TIMEOUT_MS']) delete process.env[k];
  });

  it('uses the model phrasing for Context, Delta and Verification, with files from the record only', async () => {
    const server = await startOpenAiServer(() => ({
      status: 200,
      body: completion(
        '```json\n' +
          JSON.stringify({
            context: 'The project had no greeting helper.',
            files: [
              { file: 'src/greet.ts', summary: 'New greet(name) returning "Hello, <name>!".' },
              { file: 'src/invented.ts', summary: 'should be ignored' },
            ],
            verification: ['pnpm test failed once on the missing "!", then passed.'],
          }) +
          '\n```',
      ),
    }));
    stop = server.stop;
    const ws = await imported('--capture', 'commands');
    process.env.LAB_SUMMARIZER_URL = server.url;
    process.env.LAB_SUMMARIZER_MODEL = 'local-model';
    process.env.LAB_SUMMARIZER_API_KEY = 'test-key-123';
    const r = await lab(ws, 'sessions', 'summarize', ENV);
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer test-key-123');
    expect(req.body.model).toBe('local-model');
    expect(req.body.messages[1]!.content).not.toContain('sk-proj-abcdefghijklmnop');
    const text = stub(ws, ENV);
    expect(text).toContain(':SUMMARIZER: model local-model\n');
    expect(text).toContain('The project had no greeting helper.');
    expect(text).toContain('- =src/greet.ts= — added (+4 −1), 2 patches\n  New greet(name) returning "Hello, <name>!".');
    expect(text).not.toContain('invented.ts');
    expect(text).toContain('- pnpm test failed once on the missing "!", then passed.');
    expect(text).not.toContain('test-key-123');
  });

  it.each([
    ['HTTP 500', () => ({ status: 500, body: '{"error":{"message":"overloaded"}}' }), /HTTP 500/],
    ['not JSON content', () => ({ status: 200, body: completion('Sure! Here is a summary of our chat.') }), /JSON/],
    ['wrong shape', () => ({ status: 200, body: completion('{"summary": "x"}') }), /context/],
    ['a hung server', () => ({ hang: true as const }), /timeout|Timeout/i],
    [
      'a chat recap',
      () => ({ status: 200, body: completion(JSON.stringify({ context: 'The user asked for a helper and we discussed it.', files: [], verification: [] })) }),
      /chat recap/,
    ],
  ])('falls back to the deterministic summarizer on %s', async (_name, reply, reason) => {
    const server = await startOpenAiServer(reply);
    stop = server.stop;
    const ws = await imported('--capture', 'commands');
    process.env.LAB_SUMMARIZER_URL = server.url;
    process.env.LAB_SUMMARIZER_TIMEOUT_MS = '300';
    const r = await lab(ws, 'sessions', 'summarize', ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model summarizer failed, used the deterministic one/);
    expect(r.stdout).toMatch(reason);
    const offline = await imported('--capture', 'commands');
    await lab(offline, 'sessions', 'summarize', ENV, '--offline');
    expect(stub(ws, ENV)).toBe(stub(offline, ENV));
  });

  it('a server that is down also falls back', async () => {
    const server = await startOpenAiServer(() => ({ status: 200, body: '' }));
    await server.stop();
    const ws = await imported();
    process.env.LAB_SUMMARIZER_URL = server.url;
    const r = await lab(ws, 'sessions', 'summarize', RESUMED);
    expect(r.code).toBe(0);
    expect(stub(ws, RESUMED)).toContain(':SUMMARIZER: deterministic');
  });
});
