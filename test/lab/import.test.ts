import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectRecord, lab, ROLLOUTS, readJson, SHARED_AVAILABLE, SHARED_CODEX, tmpDir, tmpWorkspace } from './helpers.ts';

const ID = {
  envelope: '0199a001-0000-7000-8000-00000000e001',
  shell: '0199a002-0000-7000-8000-00000000e002',
  fnPatch: '0199a003-0000-7000-8000-00000000e003',
  resumed: '0199a004-0000-7000-8000-00000000e004',
  fork: '0199a005-0000-7000-8000-00000000e005',
  legacy: '5973b6c0-0000-4000-8000-00000000e006',
};

async function importOne(file: string, ...flags: string[]) {
  const ws = await tmpWorkspace();
  const r = await lab(ws, 'sessions', 'import', '--force', file, ...flags);
  return { ws, r };
}

const raw = (ws: string, id: string) => readJson(path.join(ws, 'lab/raw', `${id}.json`));

describe('import: every rollout generation, checked field by field', () => {
  const cases: [string, string, string][] = [
    ['envelope-current', 'envelope-current.jsonl', ID.envelope],
    ['shell-variants', 'shell-variants.jsonl', ID.shell],
    ['function-call-apply-patch', 'function-call-apply-patch.jsonl', ID.fnPatch],
    ['resumed-grown', 'resumed-grown.jsonl', ID.resumed],
    ['fork-truncated', 'fork-truncated.jsonl', ID.fork],
    ['legacy-own', 'legacy-own.jsonl', ID.legacy],
  ];
  for (const [name, file, id] of cases) {
    it(`${name} (--capture commands)`, async () => {
      const { ws, r } = await importOne(path.join(ROLLOUTS, file), '--capture', 'commands');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await expectRecord(name, raw(ws, id));
    });
  }

  it('current envelope: real prompts only, replies de-duplicated, stable ids, secrets redacted', async () => {
    const { ws } = await importOne(path.join(ROLLOUTS, 'envelope-current.jsonl'), '--capture', 'commands');
    const rec = raw(ws, ID.envelope);
    const users = rec['lab/user-messages'] as { id: string; text: string }[];
    expect(users.map((u) => u.text)).toEqual(['Add a greet() helper and document it in the README', 'Also export it from src/index.ts']);
    expect(users.map((u) => u.id)).toEqual([`${ID.envelope}:u001`, `${ID.envelope}:u002`]);
    const replies = rec['lab/assistant-messages'] as { id: string; text: string }[];
    expect(replies).toHaveLength(3); // each reply appears twice in the rollout
    expect(replies[2]!.id).toBe(`${ID.envelope}:a003`);
    expect(rec['lab/files-touched']).toEqual(['README.md', 'src/greet.ts']);
    expect(rec['lab/timestamp-start']).toBe('2026-03-01T10:00:00.000Z');
    expect(rec['lab/timestamp-end']).toBe('2026-03-01T10:01:02.000Z');
    expect(rec['lab/model']).toBe('gpt-5-codex');
    const text = readFileSync(path.join(ws, 'lab/raw', `${ID.envelope}.json`), 'utf8');
    expect(text).not.toContain('sk-proj-abcdefghijklmnop');
    expect(rec['lab/commands']).toEqual(['OPENAI_API_KEY=[REDACTED] pnpm test', 'pnpm test']);
    expect(rec['lab/errors']).toEqual([
      '`OPENAI_API_KEY=[REDACTED] pnpm test` exited with code 1: FAIL src/greet.test.ts',
      'error: stream disconnected before completion',
      'turn aborted: interrupted',
    ]);
  });

  it('shell / shell_command / exec_command / local_shell: commands and exit codes', async () => {
    const { ws } = await importOne(path.join(ROLLOUTS, 'shell-variants.jsonl'), '--capture', 'commands');
    const runs = raw(ws, ID.shell)['lab/command-runs'] as { command: string; 'exit-code': number | null }[];
    expect(runs.map((r) => [r.command, r['exit-code']])).toEqual([
      ['npm run build', 2],
      ['grep -rn foo src', 0],
      ["curl -H 'Authorization: Bearer [REDACTED]' https://api.example.com/status", 0],
      ['npm run dev', null],
      ["mysql -u root --password=[REDACTED] -e 'select 1'", 0],
    ]);
  });

  it('apply_patch as function_call, as a shell heredoc, a move and a rejected patch', async () => {
    const { ws } = await importOne(path.join(ROLLOUTS, 'function-call-apply-patch.jsonl'), '--capture', 'commands');
    const rec = raw(ws, ID.fnPatch);
    expect(rec['lab/files-touched']).toEqual(['src/index.ts', 'src/old.ts', 'src/strings.ts', 'src/util.ts']);
    expect(rec['lab/files-touched']).not.toContain('src/missing.ts');
    expect(rec['lab/errors']).toEqual(['apply_patch failed: Failed to find expected lines in src/missing.ts']);
    expect(rec['lab/commands']).toEqual([]); // patches are edits, not commands
  });

  it('legacy pre-envelope rollout: header line, state lines, no per-line timestamps', async () => {
    const { ws } = await importOne(path.join(ROLLOUTS, 'legacy-own.jsonl'));
    const rec = raw(ws, ID.legacy);
    expect(rec['lab/user-messages']).toEqual([{ id: `${ID.legacy}:u001`, timestamp: null, text: 'Fix the typo in docs/intro.md' }]);
    expect(rec['lab/files-touched']).toEqual(['docs/intro.md']);
    expect(rec['lab/repo-root']).toBe('/home/dev/proj');
    expect(rec['lab/commands']).toBeUndefined(); // default capture is summary
  });

  it('fork: its own id, forked_from recorded, the copied parent history left to the parent', async () => {
    const { ws, r } = await importOne(path.join(ROLLOUTS, 'fork-truncated.jsonl'));
    expect(r.code).toBe(0); // the truncated last line is tolerated
    const rec = raw(ws, ID.fork);
    expect(rec['lab/forked-from']).toBe(ID.resumed);
    expect((rec['lab/user-messages'] as { text: string }[]).map((m) => m.text)).toEqual(['Instead, put the changelog under docs/']);
    expect(rec['lab/files-touched']).toEqual(['docs/CHANGELOG.md']);
  });

  it('.jsonl.zst gives the same record as the plain file', async () => {
    const dir = tmpDir();
    const zst = path.join(dir, `rollout-2026-03-01T11-00-00-${ID.envelope}.jsonl.zst`);
    writeFileSync(zst, zlib.zstdCompressSync(readFileSync(path.join(ROLLOUTS, 'envelope-current.jsonl'))));
    const a = await importOne(zst, '--capture', 'full');
    const b = await importOne(path.join(ROLLOUTS, 'envelope-current.jsonl'), '--capture', 'full');
    expect(a.r.code).toBe(0);
    expect(readFileSync(path.join(a.ws, 'lab/raw', `${ID.envelope}.json`), 'utf8')).toBe(
      readFileSync(path.join(b.ws, 'lab/raw', `${ID.envelope}.json`), 'utf8'),
    );
  });
});

describe('import: shared fixtures (../shared/fixtures/codex)', () => {
  // In CI the shared folder is beside the clone; a missing one must fail there, not skip.
  it.skipIf(!SHARED_AVAILABLE && !process.env.CI)('imports the real 0.77 session, the failing-command session and the legacy example', async () => {
    expect(SHARED_AVAILABLE, `shared fixtures expected at ${SHARED_CODEX}`).toBe(true);
    const ws = await tmpWorkspace();
    const r = await lab(ws, 'sessions', 'import', '--force', SHARED_CODEX, '--capture', 'commands');
    expect(r.code).toBe(0);
    const real = raw(ws, '019b7f94-51b4-7593-922e-ba12b5b73b52');
    await expectRecord('shared-real-0.77', real);
    expect(real['lab/user-messages']).toEqual([
      {
        id: '019b7f94-51b4-7593-922e-ba12b5b73b52:u001',
        timestamp: '2026-01-02T16:39:45.350Z',
        text: 'what is current repository about? summarize purpuse and explain goals',
      },
    ]);
    expect(real['lab/commands']).toEqual(['ls', "rg --files -g 'AGENTS.md'", "sed -n '1,160p' README.md"]);
    expect(real['lab/git']).toEqual({
      branch: 'codex',
      commit: '02942347cadda24d3080fbfbc2d13295bb3a496d',
      'repository-url': 'git@github.com:codemie-ai/codemie-code.git',
    });
    const failing = raw(ws, '019b7f95-0000-7000-0000-000000000001');
    await expectRecord('shared-synthetic-failing', failing);
    expect(failing['lab/errors']).toEqual(['`cat nonexistent.txt` exited with code 1: cat: nonexistent.txt: No such file or directory']);
    const legacy = raw(ws, '5973b6c0-94b8-487b-a530-2aeb6098ae0e');
    await expectRecord('shared-legacy', legacy);
    expect(legacy['lab/files-touched']).toEqual(['README.md']);
    expect(legacy['lab/user-messages']).toEqual([{ id: '5973b6c0-94b8-487b-a530-2aeb6098ae0e:u001', timestamp: null, text: 'Create a README file' }]);
  });
});

describe('import: re-import, resume, capture levels', () => {
  it('re-importing an unchanged session rewrites nothing; a grown session supersedes; an older copy does not', async () => {
    const ws = await tmpWorkspace();
    const file = path.join(ws, 'lab/raw', `${ID.resumed}.json`);
    expect((await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-base.jsonl'))).stdout).toMatch(/^created /m);
    const first = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    expect((await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-base.jsonl'))).stdout).toMatch(/^unchanged /m);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect((await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-grown.jsonl'))).stdout).toMatch(/^updated /m);
    expect(readJson(file)['lab/files-touched']).toEqual(['CHANGELOG.md', 'package.json']);
    expect((await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-base.jsonl'))).stdout).toMatch(/^kept-newer /m);
    expect(readJson(file)['lab/timestamp-end']).toBe('2026-03-05T12:00:03.000Z');
  });

  it('keeps manual lab/notes across a re-import', async () => {
    const ws = await tmpWorkspace();
    await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-base.jsonl'));
    const file = path.join(ws, 'lab/raw', `${ID.resumed}.json`);
    const rec = readJson(file);
    writeFileSync(file, `${JSON.stringify({ ...rec, 'lab/notes': 'released on Friday' }, null, 2)}\n`);
    await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'resumed-grown.jsonl'));
    expect(readJson(file)['lab/notes']).toBe('released on Friday');
  });

  it('summary capture has no commands; full capture writes a redacted transcript separately', async () => {
    const s = await importOne(path.join(ROLLOUTS, 'envelope-current.jsonl'));
    const rec = raw(s.ws, ID.envelope);
    expect(rec['lab/commands']).toBeUndefined();
    expect(rec['lab/errors']).toBeUndefined();
    expect(await readdir(path.join(s.ws, 'lab'))).toEqual(['raw']);
    const f = await importOne(path.join(ROLLOUTS, 'envelope-current.jsonl'), '--capture', 'full');
    const transcript = readFileSync(path.join(f.ws, 'lab/transcripts', `${ID.envelope}.json`), 'utf8');
    expect(transcript).toContain('"kind": "tool-call"');
    expect(transcript).toContain('FAIL src/greet.test.ts');
    expect(transcript).not.toContain('sk-proj-abcdefghijklmnop');
    expect(transcript).not.toContain('gAAAA'); // encrypted reasoning is never stored
  });

  it('with no paths reads $CODEX_HOME/sessions and keeps only sessions in this repo; --since filters by start', async () => {
    const ws = await tmpWorkspace();
    const home = tmpDir('codex-home-');
    const day = path.join(home, 'sessions/2026/03/01');
    await mkdir(day, { recursive: true });
    const inRepo = readFileSync(path.join(ROLLOUTS, 'envelope-current.jsonl'), 'utf8').replaceAll('/home/dev/proj', path.join(ws, 'sub'));
    await writeFile(path.join(day, `rollout-2026-03-01T11-00-00-${ID.envelope}.jsonl`), inRepo);
    copyFileSync(path.join(ROLLOUTS, 'shell-variants.jsonl'), path.join(day, `rollout-2026-03-02T10-00-00-${ID.shell}.jsonl`));
    const r = await lab(ws, 'sessions', 'import', '--codex-home', home);
    expect(r.code).toBe(0);
    expect(await readdir(path.join(ws, 'lab/raw'))).toEqual([`${ID.envelope}.json`]);
    const rec = raw(ws, ID.envelope);
    expect(rec['lab/repo-root']).toBe(ws);
    expect(rec['lab/files-touched']).toEqual(['sub/README.md', 'sub/src/greet.ts']);
    expect(r.stdout).toContain('1 file(s) filtered out');

    const ws2 = await tmpWorkspace();
    await lab(ws2, 'sessions', 'import', '--force', path.join(ROLLOUTS), '--since', '2026-03-03');
    expect((await readdir(path.join(ws2, 'lab/raw'))).sort()).toEqual([`${ID.fnPatch}.json`, `${ID.resumed}.json`, `${ID.fork}.json`].sort());
  });

  it('rejects a bad --capture and a bad --since as usage errors', async () => {
    const ws = await tmpWorkspace();
    expect((await lab(ws, 'sessions', 'import', '--capture', 'everything')).code).toBe(2);
    expect((await lab(ws, 'sessions', 'import', '--since', 'yesterday-ish')).code).toBe(2);
  });
});

describe('import: bad input is reported with file and line, the rest carries on', () => {
  it('corrupt line, binary file, empty file, no session_meta, not a rollout', async () => {
    const ws = await tmpWorkspace();
    const dir = path.join(ws, 'incoming');
    await mkdir(dir);
    const good = readFileSync(path.join(ROLLOUTS, 'resumed-base.jsonl'), 'utf8').split('\n');
    await writeFile(
      path.join(dir, 'a-corrupt-line.jsonl'),
      [good[0], good[1], '{"timestamp": "2026-03-04T07:00:01.500Z", "type": "event_m', ...good.slice(2)].join('\n'),
    );
    await writeFile(path.join(dir, 'b-binary.jsonl'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x01, 0x02]));
    await writeFile(path.join(dir, 'c-empty.jsonl'), '');
    await writeFile(path.join(dir, 'd-no-meta.jsonl'), good.slice(1).join('\n'));
    await writeFile(path.join(dir, 'e-not-a-rollout.jsonl'), '{"name": "left-pad", "version": "1.3.0"}\n{"name": "react"}\n');
    await writeFile(path.join(dir, 'f-text.jsonl'), 'hello, this is a plain text file\n');
    await writeFile(path.join(dir, 'g-bad.jsonl.zst'), 'not zstd at all');
    const r = await lab(ws, 'sessions', 'import', '--force', 'incoming');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^incoming\/a-corrupt-line\.jsonl:3:1: error: corrupt line skipped: /m);
    expect(r.stdout).toMatch(/^incoming\/b-binary\.jsonl:1:1: error: binary file/m);
    expect(r.stdout).toMatch(/^incoming\/c-empty\.jsonl:1:1: error: empty file/m);
    expect(r.stdout).toMatch(/^incoming\/d-no-meta\.jsonl:1:1: error: no session_meta line/m);
    expect(r.stdout).toMatch(/^incoming\/e-not-a-rollout\.jsonl:1:1: error: not a Codex rollout/m);
    expect(r.stdout).toMatch(/^incoming\/f-text\.jsonl:1:1: error: corrupt line skipped/m);
    expect(r.stdout).toMatch(/^incoming\/g-bad\.jsonl\.zst:1:1: error: cannot decompress zstd file/m);
    // The session in the file with one corrupt line is still imported, from its other lines.
    expect(await readdir(path.join(ws, 'lab/raw'))).toEqual([`${ID.resumed}.json`]);
    expect(raw(ws, ID.resumed)['lab/files-touched'] as string[]).toEqual(['CHANGELOG.md']);
    // No temp files or half-written records are left behind.
    expect((await readdir(path.join(ws, 'lab/raw'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing path is an error with exit code 1, and --json reports the data', async () => {
    const ws = await tmpWorkspace();
    const r = await lab(ws, 'sessions', 'import', '--force', 'nope.jsonl', '--json');
    expect(r.code).toBe(1);
    const data = JSON.parse(r.stdout) as { diagnostics: { file: string; message: string }[] };
    expect(data.diagnostics[0]).toMatchObject({ file: 'nope.jsonl', message: 'no such file or folder' });
  });
});
