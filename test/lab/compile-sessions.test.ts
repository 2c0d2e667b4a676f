import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { compileSessionSources, compileSessions } from '../../src/lab/compile-sessions.ts';
import { parseJsonWithPositions } from '../../src/lab/json-positions.ts';
import { lab, ROLLOUTS, tmpWorkspace } from './helpers.ts';

describe('parseJsonWithPositions', () => {
  it('parses like JSON.parse and records key positions', () => {
    const text = '{\n  "a": [1, {"b": "x\\u00e9\\n"}],\n  "c": null, "d": -1.5e3, "e": true\n}';
    const r = parseJsonWithPositions(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(JSON.parse(text));
    expect(r.positions.a).toEqual([2, 3]);
    expect(r.positions['a.1.b']).toEqual([2, 13]);
    expect(r.positions.d).toEqual([3, 14]);
  });
  it.each([
    ['{"a": 1,}', 1, 9, 'expected a "key" but found \'}\''],
    ['{"a": 1}\n{"b": 2}', 2, 1, "unexpected '{' after the JSON value"],
    ['{"a": "x\ny"}', 1, 9, 'control character in string'],
    ['{"a": 1, "a": 2}', 1, 10, 'duplicate key "a"'],
    ['[1, 2', 1, 6, "expected ',' or ']' but found end of file"],
    ['{"a": tru}', 1, 7, 'unexpected'],
  ])('reports %j at its line and column', (text, line, column, message) => {
    const r = parseJsonWithPositions(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.line).toBe(line);
    expect(r.problem.column).toBe(column);
    expect(r.problem.message).toContain(message);
  });
});

describe('compileSessions', () => {
  it('summarizes valid records, newest first, and notes stubs', async () => {
    const ws = await tmpWorkspace();
    expect((await lab(ws, 'sessions', 'import', '--force', ROLLOUTS, '--capture', 'commands')).code).toBe(0);
    await lab(ws, 'sessions', 'summarize', '0199a002-0000-7000-8000-00000000e002');
    const { sessions, diagnostics } = await compileSessions(ws);
    expect(diagnostics).toEqual([]);
    expect(sessions.map((s) => s.id)).toEqual([
      '0199a005-0000-7000-8000-00000000e005',
      '0199a004-0000-7000-8000-00000000e004',
      '0199a003-0000-7000-8000-00000000e003',
      '0199a002-0000-7000-8000-00000000e002',
      '0199a001-0000-7000-8000-00000000e001',
      '5973b6c0-0000-4000-8000-00000000e006',
    ]);
    const shell = sessions.find((s) => s.id === '0199a002-0000-7000-8000-00000000e002')!;
    expect(shell).toEqual({
      id: '0199a002-0000-7000-8000-00000000e002',
      start: '2026-03-02T09:00:00.000Z',
      end: '2026-03-02T09:00:13.000Z',
      first_prompt: 'Why does the build fail?',
      prompts: ['Why does the build fail?'],
      replies_count: 1,
      files_touched: [],
      commands_count: 5,
      errors_count: 1,
      stub_path: 'lab/stubs/0199a002-0000-7000-8000-00000000e002.org',
      doc_draft_path: 'lab/doc-drafts/0199a002-0000-7000-8000-00000000e002.json',
      repo_root: '/home/dev/proj',
      source: { path: 'lab/raw/0199a002-0000-7000-8000-00000000e002.json' },
    });
    const legacy = sessions.find((s) => s.id.startsWith('5973'))!;
    expect([legacy.commands_count, legacy.errors_count, legacy.start]).toEqual([1, 0, '2025-06-01T12:00:00.000Z']);
  });

  it('reports contract violations as path:line:col of the offending key', async () => {
    const ws = await tmpWorkspace();
    await mkdir(path.join(ws, 'lab/raw'), { recursive: true });
    await writeFile(
      path.join(ws, 'lab/raw/s1.json'),
      [
        '{',
        '  "lab/session-id": "s2",',
        '  "lab/timestamp-start": "yesterday",',
        '  "lab/user-messages": [{"id": "s2:u001", "timestamp": null, "text": 42}],',
        '  "lab/assistant-messages": [],',
        '  "lab/colour": "blue"',
        '}',
      ].join('\n'),
    );
    await writeFile(path.join(ws, 'lab/raw/broken.json'), '{\n  "lab/session-id": "broken",\n  "lab/files-touched": [,]\n}');
    const { diagnostics } = await compileSessions(ws);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "lab/raw/broken.json:3:25: error: malformed JSON: unexpected ',': expected a JSON value",
      'lab/raw/s1.json:1:1: error: lab/files-touched: is required (must be a list of paths)',
      'lab/raw/s1.json:3:3: error: lab/timestamp-start: must be an ISO-8601 timestamp with a zone, e.g. 2026-01-02T16:39:45.332Z',
      'lab/raw/s1.json:4:62: error: lab/user-messages.0.text: must be a string',
      'lab/raw/s1.json:6:3: warning: unknown key lab/colour (not in the session contract)',
    ]);
  });

  it('flags a session id that does not match its file name, and bad message ids', () => {
    const rec = (id: string, msgId: string) =>
      JSON.stringify(
        { 'lab/session-id': id, 'lab/user-messages': [{ id: msgId, timestamp: null, text: 'hi' }], 'lab/assistant-messages': [], 'lab/files-touched': [] },
        null,
        2,
      );
    const { sessions, diagnostics } = compileSessionSources([
      { path: 'lab/raw/a.json', text: rec('b', 'b:u001') },
      { path: 'lab/raw/c.json', text: rec('c', 'x:u001') },
      { path: 'content/notebooks/x/README.md', text: 'ignored' },
    ]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'lab/raw/a.json:2:3: error: lab/session-id b does not match the file name (expected lab/raw/b.json)',
      'lab/raw/c.json:5:7: error: lab/user-messages.0.id: must start with c:u',
    ]);
    expect(sessions.map((s) => s.id).sort()).toEqual(['b', 'c']);
  });
});

describe('parseJsonWithPositions on hostile input', () => {
  it('agrees with JSON.parse on nesting 100,000 deep (no stack overflow) and reports where a deep file breaks', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const parsed = parseJsonWithPositions(deep);
    expect(parsed.ok).toBe(true);
    let v = parsed.ok ? parsed.value : null;
    let depth = 0;
    while (Array.isArray(v)) [v, depth] = [v[0], depth + 1];
    expect([depth, v]).toEqual([100_000, 1]);
    const broken = parseJsonWithPositions(`{"a":${'['.repeat(50_000)}}`);
    expect(broken).toEqual({ ok: false, problem: { line: 1, column: 50_006, message: "unexpected '}': expected a JSON value" } });
  });

  it('keeps a "__proto__" key as an own property, as JSON.parse does, with its position', () => {
    const text = '{\n  "__proto__": {"polluted": true},\n  "x": [1, {"__proto__": 2}]\n}';
    const parsed = parseJsonWithPositions(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual(JSON.parse(text));
    expect(Object.keys(parsed.value as object)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.positions['__proto__']).toEqual([2, 3]);
    expect(parsed.positions['x.1.__proto__']).toEqual([3, 13]);
    expect(parseJsonWithPositions('{"__proto__": 1, "__proto__": 2}')).toMatchObject({ ok: false, problem: { message: 'duplicate key "__proto__"' } });
  });
});
