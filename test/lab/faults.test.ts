/**
 * Attacks from the adversarial review on `lab sessions import`: a session id
 * that is a path, a zstd bomb, a session of another project found by the
 * default scan, absolute paths of other repositories, huge messages, and an
 * explicit import of a session that worked elsewhere.
 */
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { peekSessionCwd, readRolloutFile } from '../../src/lab/rollout/read.ts';
import { lab, readJson, tmpDir, tmpWorkspace } from './helpers.ts';

const line = (type: string, payload: Record<string, unknown>, ts = '2026-03-01T10:00:00.000Z') => JSON.stringify({ timestamp: ts, type, payload });
const meta = (id: string, cwd: string) => line('session_meta', { id, timestamp: '2026-03-01T10:00:00.000Z', cwd, cli_version: '0.80.0', source: 'cli' });
const user = (text: string) => line('event_msg', { type: 'user_message', message: text, images: [] }, '2026-03-01T10:00:01.000Z');
const patch = (file: string) =>
  line(
    'response_item',
    {
      type: 'function_call',
      name: 'apply_patch',
      arguments: JSON.stringify({ input: `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n` }),
      call_id: `c-${file}`,
    },
    '2026-03-01T10:00:02.000Z',
  );
const rollout = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A `.jsonl.zst` whose first line is `first` and which expands to `bytes` in total (a bomb, made here). */
async function zstdBomb(file: string, first: string, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  let left = bytes;
  async function* source() {
    yield Buffer.from(`${first}\n`);
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      yield chunk.subarray(0, n);
    }
  }
  await pipeline(Readable.from(source()), zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 19 } }), createWriteStream(file));
}

describe('session ids are not paths (attack 2)', () => {
  it('an id of ../../../victim/settings is refused before any path is built; nothing is written outside lab/', async () => {
    const ws = await tmpWorkspace();
    const dir = tmpDir();
    const file = path.join(dir, 'rollout-evil.jsonl');
    await writeFile(file, rollout(meta('../../../victim/settings', ws), user('hello')));
    const r = await lab(ws, 'sessions', 'import', file, '--capture', 'full');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rollout-evil\.jsonl:1:1: error: session id "\.\.\/\.\.\/\.\.\/victim\/settings" is not a plain name/);
    expect(existsSync(path.join(ws, '..', '..', 'victim'))).toBe(false);
    expect(existsSync(path.join(ws, 'lab', 'raw')) ? readdirSync(path.join(ws, 'lab', 'raw')) : []).toEqual([]);
    // Summarize builds stub and draft paths from ids too: a crafted id is a plain error, not a write.
    const s = await lab(ws, 'sessions', 'summarize', '../../x');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/is not a plain name/);
  });
});

describe('decompression is bounded (attack 9)', { timeout: 120_000 }, () => {
  it('a zstd bomb is refused at the cap, streamed (never held whole), and its first line is peeked without expanding it', async () => {
    const dir = tmpDir();
    const bomb = path.join(dir, 'rollout-bomb.jsonl.zst');
    await zstdBomb(bomb, meta('0199a001-0000-7000-8000-0000000b0b01', '/somewhere/else'), 64 * 1024 * 1024);
    expect((await readFile(bomb)).length).toBeLessThan(64 * 1024);
    const read = await readRolloutFile(bomb, { maxBytes: 8 * 1024 * 1024 });
    expect(read.problems).toEqual([expect.objectContaining({ fatal: true, message: expect.stringMatching(/decompresses to more than 8 MiB; skipped/) })]);
    expect(read.lines).toEqual([]);
    expect(await peekSessionCwd(bomb)).toBe('/somewhere/else');
  });

  it("the default scan of CODEX_HOME skips another project's compressed session by its first line", async () => {
    const ws = await tmpWorkspace();
    const home = tmpDir('codex-home-');
    const day = path.join(home, 'sessions', '2026', '03', '01');
    await mkdir(day, { recursive: true });
    await zstdBomb(path.join(day, 'rollout-other.jsonl.zst'), meta('0199a001-0000-7000-8000-0000000b0b02', '/another/project'), 32 * 1024 * 1024);
    const r = await lab(ws, 'sessions', 'import', '--codex-home', home, '--json');
    const out = JSON.parse(r.stdout) as { filtered: { file: string; reason: string }[]; sessions: unknown[] };
    expect(out.sessions).toEqual([]);
    expect(out.filtered).toEqual([expect.objectContaining({ reason: expect.stringMatching(/working directory \/another\/project is outside/) })]);
  });
});

describe('sessions keep only what the contract allows (attack 14)', () => {
  it('files-touched are repository-relative (others dropped and counted); huge messages are cut with a marker', async () => {
    const ws = await tmpWorkspace();
    const dir = tmpDir();
    const file = path.join(dir, 'rollout-paths.jsonl');
    const huge = 'y'.repeat(300_000);
    await writeFile(
      file,
      rollout(
        meta('0199a001-0000-7000-8000-0000000a0001', ws),
        user(huge),
        patch('src/inside.ts'),
        patch('/etc/elsewhere.conf'),
        patch(path.join(path.dirname(ws), 'sibling', 'x.ts')),
      ),
    );
    const r = await lab(ws, 'sessions', 'import', file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rec = readJson(path.join(ws, 'lab', 'raw', '0199a001-0000-7000-8000-0000000a0001.json'));
    expect(rec['lab/files-touched']).toEqual(['src/inside.ts']);
    expect(rec['lab/files-outside-repo']).toBe(2);
    for (const n of rec['lab/file-notes'] as { file: string }[]) expect(path.isAbsolute(n.file)).toBe(false);
    const text = (rec['lab/user-messages'] as { text: string }[])[0]!.text;
    expect(text.length).toBeLessThan(70_000);
    expect(text).toMatch(/\[… lab: message truncated; it had 300000 characters, the first 65536 are kept …\]$/);
  });

  it('an explicit import of a session that worked outside the repository asks for --repo or --force', async () => {
    const ws = await tmpWorkspace();
    const dir = tmpDir();
    const file = path.join(dir, 'rollout-elsewhere.jsonl');
    await writeFile(file, rollout(meta('0199a001-0000-7000-8000-0000000a0002', '/home/someone/other-repo'), user('hi')));
    const r = await lab(ws, 'sessions', 'import', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rollout-elsewhere\.jsonl:1:1: error: working directory \/home\/someone\/other-repo is outside .*pass --repo <dir> .* or --force/);
    expect(existsSync(path.join(ws, 'lab', 'raw', '0199a001-0000-7000-8000-0000000a0002.json'))).toBe(false);
    expect((await lab(ws, 'sessions', 'import', file, '--force')).code).toBe(0);
    expect(existsSync(path.join(ws, 'lab', 'raw', '0199a001-0000-7000-8000-0000000a0002.json'))).toBe(true);
  });
});
