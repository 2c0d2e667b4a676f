import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorExcerpt, interpretToolOutput } from '../../src/lab/rollout/tools.ts';
import { classifyCheck } from '../../src/lab/summarize/checks.ts';
import { isWarmUp, sessionTitle } from '../../src/lab/summarize/deterministic.ts';
import { lab, readJson, tmpWorkspace } from './helpers.ts';

const DIR = path.join(import.meta.dirname, 'fixtures', 'generations');
const LEGACY = '7c1e2a90-3b4d-4e5f-8a6b-2025legacy01';
const UNIFIED = '019c2a10-7777-7000-8000-0000000ue001';

async function imported() {
  const ws = await tmpWorkspace();
  const r = await lab(ws, 'sessions', 'import', DIR, '--capture', 'commands', '--force');
  return { ws, r };
}

describe('Codex rollouts of every generation: failures, patches and checks', () => {
  it('a 2025 legacy rollout: sandbox failures keep their exit codes and stderr; the unreadable call is a warning', async () => {
    const { ws, r } = await imported();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/legacy-2025-sandbox\.jsonl:19:1: warning: shell call call_a7: its arguments are not valid JSON; counted, not interpreted/);
    const rec = readJson(path.join(ws, 'lab/raw', `${LEGACY}.json`)) as Record<string, any>;
    expect(rec['lab/errors']).toEqual([
      "`npm test` exited with code 1: Error: EPERM: operation not permitted, mkdir '/home/dev/.cache/vitest'",
      "`npx tsc --noEmit` exited with code 2: src/greet.ts(1,52): error TS2339: Property 'trim' does not exist on type 'never'.",
    ]);
    expect(rec['lab/unparsed-tool-calls']).toBe(1);
    expect(rec['lab/files-touched']).toEqual(['src/greet.ts', 'test/trim.test.ts']);
    // The heredoc patch is a patch, not a command run.
    expect(rec['lab/commands']).toEqual(['sed -n 1,80p test/greet.test.ts', 'rg -n check src', 'ls -la', 'npm test', 'npx tsc --noEmit', 'npm test -- --run']);
  });

  it('the stub: Verification holds tests and type checks with outcomes, no patches or inspections; a warm-up is not the title', async () => {
    const { ws } = await imported();
    await lab(ws, 'sessions', 'summarize', LEGACY);
    const stub = readFileSync(path.join(ws, 'lab/stubs', `${LEGACY}.org`), 'utf8');
    expect(stub).toContain('#+TITLE: Changed src/greet.ts, test/trim.test.ts\n');
    const verification = stub.slice(stub.indexOf('* Verification'));
    expect(verification).toContain(
      '- ~npm test~ — failed (exit 1)\n- ~npx tsc --noEmit~ — failed (exit 2)\n- ~npm test -- --run~ — passed (exit 0 in 3.2 s)\n- 3 other commands (inspection, setup)\n- 1 tool call with unreadable arguments (not counted above)\n',
    );
    expect(verification).not.toMatch(/apply_patch|Begin Patch|sed -n|rg -n/);
  });

  it('a current unified-exec rollout: excerpts come from stderr, never from the Chunk ID header; heredoc patches stay patches', async () => {
    const { ws } = await imported();
    const rec = readJson(path.join(ws, 'lab/raw', `${UNIFIED}.json`)) as Record<string, any>;
    expect(rec['lab/errors']).toEqual(['`npm test` exited with code 1: FAIL  test/greet.test.ts > greet > trims']);
    expect(rec['lab/commands']).toEqual(['npm test', 'git diff --stat', 'npm test', 'npm run lint && npx tsc --noEmit']);
    expect(rec['lab/files-touched']).toEqual(['src/greet.ts']);
    await lab(ws, 'sessions', 'summarize', UNIFIED);
    const stub = readFileSync(path.join(ws, 'lab/stubs', `${UNIFIED}.org`), 'utf8');
    expect(stub).toContain('#+TITLE: Fix the failing greet tests\n');
    expect(stub).toContain(
      '- ~npm test~ — failed (exit 1 in 2.1 s)\n- ~npm test~ — passed (exit 0 in 2.1 s)\n- ~npm run lint && npx tsc --noEmit~ — passed (exit 0 in 2.1 s)\n- 1 other command (inspection, setup)\n',
    );
  });

  it('classifies commands by the program they run', () => {
    const cases: [string, string | null][] = [
      ['npm test', 'test'],
      ['CI=1 pnpm run typecheck', 'typecheck'],
      ['cd app && timeout 600 npx vitest run test/a.test.ts', 'test'],
      ['python -m pytest -q', 'test'],
      ['ruff check .', 'lint'],
      ['cargo clippy --all-targets', 'lint'],
      ['make', 'build'],
      ['go vet ./...', 'lint'],
      ['node bin/lab.mjs run --all', 'experiment'],
      ['node bin/lab.mjs check', 'lint'],
      ['./bin/lab.mjs compile', 'build'],
      ['npx lab run entry-1', 'experiment'],
      ['node scripts/seed-db.js', null],
      ['sed -n 1,80p test/foo.test.ts', null],
      ['rg "check" src', null],
      ['cat package.json | grep test', null],
      ["cat > notes.md <<'EOF'\nnpm test\nEOF", null],
      ["apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: test.ts\n+npm test\n*** End Patch\nEOF", null],
      ['git commit -m "fix build"', null],
    ];
    for (const [command, kind] of cases) expect(classifyCheck(command), command).toBe(kind);
  });

  it('reads exit codes and excerpts from every output shape', () => {
    expect(
      interpretToolOutput(
        'failed in sandbox MacosSeatbelt with execution error: sandbox denied exec error, exit code: 127, stdout: , stderr: zsh: command not found: pnpm',
      ),
    ).toEqual({ text: 'zsh: command not found: pnpm', exitCode: 127, duration: null });
    expect(interpretToolOutput('Chunk ID: ab12\nWall time: 0.5 seconds\nProcess exited with code 2\nOriginal token count: 9\nOutput:\nboom\n')).toEqual({
      text: 'boom\n',
      exitCode: 2,
      duration: 0.5,
    });
    expect(errorExcerpt('Chunk ID: ab12\nWall time: 0.5 seconds\nProcess exited with code 1\nOutput:\n\n> x@1 test\n> vitest\n\n FAIL a.test.ts\n')).toBe(
      'FAIL a.test.ts',
    );
    expect(errorExcerpt('\u001b[31msomething odd\u001b[0m\nlast words\n')).toBe('last words');
  });

  it('a short warm-up is not a title', () => {
    for (const p of ['hi', 'Hello!', 'are you there?', 'read AGENTS.md first', 'ping']) expect(isWarmUp(p), p).toBe(true);
    for (const p of ['fix the bug in parse.ts', 'add tests', 'Make greet() trim']) expect(isWarmUp(p), p).toBe(false);
    expect(sessionTitle(['hi', 'add a --json flag to lab list'], [], 's')).toBe('add a --json flag to lab list');
    expect(sessionTitle(['hello'], ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'], 's')).toBe('Changed a.ts, b.ts, c.ts and 2 more files');
    expect(sessionTitle(['Refactor the parser'], ['a.ts'], 's')).toBe('Refactor the parser');
  });
});

describe('unified exec sessions that outlive their yield', () => {
  it('the exit code that arrives in a later write_stdin belongs to the command', async () => {
    const { parseRollout } = await import('../../src/lab/rollout/parse.ts');
    const { splitRolloutText } = await import('../../src/lab/rollout/read.ts');
    const L = (timestamp: string, type: string, payload: unknown) => JSON.stringify({ timestamp, type, payload });
    const text = [
      L('2026-02-03T10:00:00Z', 'session_meta', { id: 'u2', timestamp: '2026-02-03T10:00:00Z', cwd: '/r' }),
      L('2026-02-03T10:00:01Z', 'response_item', {
        type: 'function_call',
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: 'cargo test', yield_time_ms: 1000 }),
        call_id: 'c1',
      }),
      L('2026-02-03T10:00:02Z', 'response_item', {
        type: 'function_call_output',
        call_id: 'c1',
        output: 'Chunk ID: 1a\nWall time: 1.0 seconds\nProcess running with session ID 7\nOriginal token count: 3\nOutput:\n   Compiling demo v0.1.0\n',
      }),
      L('2026-02-03T10:00:09Z', 'response_item', {
        type: 'function_call',
        name: 'write_stdin',
        arguments: JSON.stringify({ session_id: 7, chars: '', yield_time_ms: 30000 }),
        call_id: 'c2',
      }),
      L('2026-02-03T10:00:20Z', 'response_item', {
        type: 'function_call_output',
        call_id: 'c2',
        output:
          "Chunk ID: 2b\nWall time: 11.0 seconds\nProcess exited with code 101\nOriginal token count: 9\nOutput:\ntest it_works ... FAILED\nerror: test failed, to rerun pass '--lib'\n",
      }),
    ].join('\n');
    const r = parseRollout(splitRolloutText(Buffer.from(`${text}\n`)).lines);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const cargo = r.session.calls.find((c) => c.callId === 'c1')!;
    expect(cargo).toMatchObject({ command: 'cargo test', exitCode: 101 });
    expect(errorExcerpt(cargo.output ?? '')).toBe('test it_works ... FAILED');
  });
});
