import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { LAB, lab, makeWorkspace, PAGE, read, userPart, waitFor } from './helpers.ts';

const front = (text: string) => splitMarkdown(text).data as Record<string, any>;
const cmd = (id: string, command: string, type = 'command') => `---
id: ${id}
title: Entry ${id}
type: ${type}
inputs:
  command: '${command}'
---
Text.
`;

describe('lab run (CLI)', { timeout: 30_000 }, () => {
  it('runs an entry by path, then skips it; runs by id through the compiled index', async () => {
    const root = await makeWorkspace({ [`${PAGE}/001-a.md`]: cmd('cli-a', 'echo hi') });
    const first = await lab(['run', `${PAGE}/001-a.md`], root);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('hi\n');
    expect(first.stdout).toMatch(/cli-a: completed in [\d.]+s → content\/notebooks\/nb\/page-one\/entries\/001-a\.md/);
    const again = await lab(['run', `${PAGE}/001-a.md`], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^skipped: .*completed and up to date/);
    const byId = await lab(['run', 'cli-a', '--force'], path.join(root, 'content'));
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain('cli-a: completed');
  });

  it('bad input prints one line, exits 1 and leaves the file alone', async () => {
    const root = await makeWorkspace({ [`${PAGE}/002-bad.md`]: cmd('cli-bad', 'true', 'teleport') });
    const before = await read(root, `${PAGE}/002-bad.md`);
    const r = await lab(['run', `${PAGE}/002-bad.md`], root);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('lab run: content/notebooks/nb/page-one/entries/002-bad.md:4:1: unknown entry type `teleport`');
    expect(await read(root, `${PAGE}/002-bad.md`)).toBe(before);
    const usage = await lab(['run'], root);
    expect(usage.code).toBe(2);
  });

  it('--all -j 2 --json runs what has not completed and prints the results as data', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/003-x.md`]: cmd('cli-x', 'echo x'),
      [`${PAGE}/004-y.md`]: cmd('cli-y', 'exit 4'),
      [`${PAGE}/005-z.md`]: cmd('cli-z', 'echo z'),
    });
    const dry = await lab(['run', '--all', '--dry-run'], root);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry-run');
    expect(front(await read(root, `${PAGE}/003-x.md`)).status).toBeUndefined();
    const r = await lab(['run', '--all', '-j', '2', '--json'], root);
    expect(r.code).toBe(1);
    const { results } = JSON.parse(r.stdout);
    expect(results.map((x: { id: string; outcome: string }) => [x.id, x.outcome])).toEqual([
      ['cli-x', 'completed'],
      ['cli-y', 'failed'],
      ['cli-z', 'completed'],
    ]);
    const rerun = await lab(['run', '--all'], root);
    expect(rerun.stdout).toMatch(/skipped .*cli-x/s);
    expect(rerun.stdout).toMatch(/failed\s+cli-y\s+command/);
  });

  it('Ctrl-C marks the entry interrupted and keeps the partial log', async () => {
    const root = await makeWorkspace({ [`${PAGE}/006-long.md`]: cmd('cli-long', 'echo started; sleep 30; echo never') });
    const child = spawn(process.execPath, [LAB, 'run', `${PAGE}/006-long.md`], { cwd: root, env: { ...process.env, CI: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await waitFor(async () => out.includes('started'));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130); // 128 + SIGINT, as shells expect
    const fm = front(await read(root, `${PAGE}/006-long.md`));
    expect(fm.status).toBe('interrupted');
    expect(fm.execution.error).toBe('interrupted (Ctrl-C)');
    expect((await new BlobStore(root).read(fm.logs.stdout)).toString()).toBe('started\n');
  });

  it('a crash leaves `status: running` with pid and host; the next run stops the orphaned command only with --force', async () => {
    const root = await makeWorkspace({ [`${PAGE}/007-crash.md`]: cmd('cli-crash', 'echo go; sleep 30') });
    const child = spawn(process.execPath, [LAB, 'run', `${PAGE}/007-crash.md`], { cwd: root, env: { ...process.env, CI: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await waitFor(async () => out.includes('go'));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const crashed = front(await read(root, `${PAGE}/007-crash.md`));
    expect(crashed.status).toBe('running');
    expect(crashed.execution.pid).toBe(child.pid);
    expect(crashed.execution.host).toBeTruthy();
    await fs.writeFile(path.join(root, PAGE, '007-crash.md'), (await read(root, `${PAGE}/007-crash.md`)).replace('echo go; sleep 30', 'echo recovered'));
    // The command the killed runner started (`sleep 30`, its own process group) still runs: a second run would duplicate it.
    const refused = await lab(['run', `${PAGE}/007-crash.md`], root);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/still running \(process group \d+\).*--force/);
    const r = await lab(['run', '--force', `${PAGE}/007-crash.md`], root);
    expect(r.code).toBe(0);
    expect(front(await read(root, `${PAGE}/007-crash.md`)).status).toBe('completed');
  });

  it('lab attach adds files (with image sizes) to a manual entry and refuses other types', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/008-manual.md`]: '---\nid: cli-manual\ntitle: Bench test   # by hand\ntype: manual\ninputs: {instrument: scope-3}\n---\nMeasured by hand.\n',
      [`${PAGE}/009-cmd.md`]: cmd('cli-cmd', 'true'),
    });
    const png = path.join(root, 'photo.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .png()
      .toFile(png);
    await fs.writeFile(path.join(root, 'notes.csv'), 'a,b\n1,2\n');
    const before = await read(root, `${PAGE}/008-manual.md`);
    const r = await lab(['attach', `${PAGE}/008-manual.md`, 'photo.png', 'notes.csv'], root);
    expect(r.code).toBe(0);
    const text = await read(root, `${PAGE}/008-manual.md`);
    expect(userPart(text)).toBe(before);
    const fm = front(text);
    expect(fm.artifacts).toEqual([
      { name: 'notes.csv', hash: expect.stringMatching(/^sha256:/), type: 'text/csv', size_bytes: 8 },
      { name: 'photo.png', hash: expect.stringMatching(/^sha256:/), type: 'image/png', size_bytes: expect.any(Number), width: 40, height: 30 },
    ]);
    // Running a manual entry records provenance and keeps what was attached.
    expect((await lab(['run', `${PAGE}/008-manual.md`], root)).code).toBe(0);
    const ran = front(await read(root, `${PAGE}/008-manual.md`));
    expect(ran.status).toBe('completed');
    expect(ran.artifacts).toHaveLength(2);
    // Org manual entries take attachments the same way.
    await fs.writeFile(path.join(root, PAGE, '011-org.org'), '#+TITLE: Bench notes\n#+ID: cli-org\n#+TYPE: manual\n\nMeasured.\n');
    expect((await lab(['attach', 'cli-org', 'photo.png'], root)).code).toBe(0);
    const org = await read(root, `${PAGE}/011-org.org`);
    expect(org).toMatch(
      /^#\+TITLE: Bench notes\n#\+ID: cli-org\n#\+TYPE: manual\n#\+ARTIFACTS: \[ \{ name: photo\.png, hash: sha256:[0-9a-f]{64}, type: image\/png, size_bytes: \d+, width: 40, height: 30 \} \]\n\nMeasured\.\n$/,
    );
    const refused = await lab(['attach', `${PAGE}/009-cmd.md`, 'notes.csv'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/adds files to `manual` entries; cli-cmd is a `command` entry/);
  });

  it('--stale re-runs exactly the entries the compiler flags as stale; --page scopes a run', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/010-s.md`]: '---\nid: cli-s\ntitle: S\ntype: command\ninputs:\n  command: cat "$LAB_PARAM_DATA"\n  parameters: {data: ./data.txt}\n---\n',
      [`${PAGE}/data.txt`]: 'one\n',
      'content/notebooks/nb/page-two/README.md': '---\ntitle: Page two\n---\n',
      'content/notebooks/nb/page-two/entries/001-t.md': cmd('cli-t', 'echo t'),
    });
    const page = await lab(['run', '--page', 'page-one'], root);
    expect(page.code).toBe(0);
    expect(front(await read(root, `${PAGE}/010-s.md`)).status).toBe('completed');
    expect(front(await read(root, 'content/notebooks/nb/page-two/entries/001-t.md')).status).toBeUndefined();
    const none = await lab(['run', '--stale'], root);
    expect(none.stdout.trim()).toBe('nothing to run');
    await fs.writeFile(path.join(root, PAGE, 'data.txt'), 'two\n');
    const check = await lab(['check', '--json'], root);
    expect(JSON.stringify(JSON.parse(check.stdout))).toContain('stale');
    const stale = await lab(['run', '--stale'], root);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/completed\s+cli-s/);
    const fm = front(await read(root, `${PAGE}/010-s.md`));
    expect((await new BlobStore(root).read(fm.logs.stdout)).toString()).toBe('two\n');
    const after = await lab(['check', '--json'], root);
    expect(JSON.stringify(JSON.parse(after.stdout))).not.toContain('"stale"');
  });
});
