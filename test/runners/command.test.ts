import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LabError } from '../../src/core/diagnostics.ts';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { allBlobText, makeWorkspace, PAGE, read, userPart } from './helpers.ts';

const entry = (id: string, inputs: string, extra = '') => `---
id: ${id}
title: 'A "quoted" title'   # user comment
type: command
${extra}inputs:
${inputs}
---
Notes the user wrote. Ünïcode ✓
`;

const front = (text: string) => splitMarkdown(text).data as Record<string, any>;

describe('command integration', { timeout: 30_000 }, () => {
  it('runs in the entry folder with parameters, logs, metrics and output artifacts', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-run.md`]: entry(
        'e-run',
        `  command: 'echo "hello {{parameters.who}}"; echo "to stderr" >&2; echo "n=$LAB_PARAM_COUNT_MAX"; pwd; mkdir -p out; printf abc > out/result.txt; printf "{\\"accuracy\\": 0.93, \\"loss\\": 0.1}" > "$LAB_METRICS_FILE"'
  parameters: {who: "wörld", count-max: 7}
  outputs: [out/*.txt]`,
      ),
    });
    const before = await read(root, `${PAGE}/001-run.md`);
    const logs: string[] = [];
    const result = await executeEntry(path.join(root, PAGE, '001-run.md'), { reporter: { log: (_id, s, c) => logs.push(`${s}:${c}`) } });
    expect(result.outcome).toBe('completed');
    const after = await read(root, `${PAGE}/001-run.md`);
    expect(userPart(after)).toBe(before);
    const fm = front(after);
    expect(fm.status).toBe('completed');
    expect(fm.outputs).toEqual({ exit_code: 0 });
    expect(fm.metrics).toEqual({ accuracy: 0.93, loss: 0.1 });
    expect(fm.execution.exit_code).toBe(0);
    expect(fm.execution.inputs_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fm.execution.runner).toEqual({ name: 'lab', version: expect.any(String) });
    expect(fm.execution.host).toBeTruthy();
    expect(fm.execution.pid).toBeUndefined();
    expect(fm.execution.git).toBeUndefined(); // not a repository
    expect(fm.artifacts).toEqual([{ name: 'out/result.txt', hash: expect.stringMatching(/^sha256:/), type: 'text/plain', size_bytes: 3 }]);
    const blobs = new BlobStore(root);
    expect((await blobs.read(fm.artifacts[0].hash)).toString()).toBe('abc');
    const stdout = (await blobs.read(fm.logs.stdout)).toString();
    expect(stdout).toContain('hello wörld');
    expect(stdout).toContain('n=7');
    expect(stdout).toContain(path.join(root, PAGE));
    expect((await blobs.read(fm.logs.stderr)).toString()).toBe('to stderr\n');
    expect(logs.join('')).toContain('stdout:hello wörld');
  });

  it('records a failing command with its exit code and stderr, keeping outputs', async () => {
    const root = await makeWorkspace({ [`${PAGE}/002-fail.md`]: entry('e-fail', `  command: 'echo partial; echo "boom: disk full" >&2; exit 3'`) });
    const result = await executeEntry(path.join(root, PAGE, '002-fail.md'));
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/002-fail.md`));
    expect(fm.status).toBe('failed');
    expect(fm.execution.exit_code).toBe(3);
    expect(fm.execution.error).toMatch(/failed with exit code 3: boom: disk full/);
    expect(fm.outputs.exit_code).toBe(3);
    expect(fm.logs.stdout).toBeTruthy();
  });

  it('a command that does not exist fails with a clear one-line error', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/003-argv.md`]: entry('e-argv', '  command: [definitely-not-a-command-xyz, --flag]'),
      [`${PAGE}/004-shell.md`]: entry('e-shell', '  command: definitely-not-a-command-xyz --flag'),
    });
    await executeEntry(path.join(root, PAGE, '003-argv.md'));
    const argv = front(await read(root, `${PAGE}/003-argv.md`));
    expect(argv.status).toBe('failed');
    expect(argv.execution.error).toBe('command `definitely-not-a-command-xyz` could not be started: command not found');
    await executeEntry(path.join(root, PAGE, '004-shell.md'));
    const shell = front(await read(root, `${PAGE}/004-shell.md`));
    expect(shell.execution.exit_code).toBe(127);
    expect(shell.execution.error).toMatch(/exit code 127: .*not found/);
  });

  it('refuses output globs and symlinks that leave the entry folder', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/005-escape.md`]: entry('e-escape', `  command: 'true'\n  outputs: ['../../README.md']`),
      [`${PAGE}/006-abs.md`]: entry('e-abs', `  command: 'true'\n  outputs: ['/etc/passwd']`),
      [`${PAGE}/007-link.md`]: entry('e-link', `  command: 'mkdir -p out && ln -sf /etc/hostname out/host.txt'\n  outputs: ['out/*.txt']`),
    });
    await executeEntry(path.join(root, PAGE, '005-escape.md'));
    expect(front(await read(root, `${PAGE}/005-escape.md`)).execution.error).toMatch(/must not leave the entry folder/);
    await executeEntry(path.join(root, PAGE, '006-abs.md'));
    expect(front(await read(root, `${PAGE}/006-abs.md`)).execution.error).toMatch(/must be a relative path inside the entry folder/);
    await executeEntry(path.join(root, PAGE, '007-link.md'));
    const link = front(await read(root, `${PAGE}/007-link.md`));
    expect(link.status).toBe('failed');
    expect(link.execution.error).toMatch(/resolves outside .* symlink/);
    expect(link.artifacts).toBeUndefined();
  });

  it('kills the whole process tree on timeout', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/008-slow.md`]: entry('e-slow', `  command: 'sleep 30 & echo $! > child.pid; echo started; wait'\n  timeout: 1s`),
    });
    const t0 = Date.now();
    const result = await executeEntry(path.join(root, PAGE, '008-slow.md'));
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/008-slow.md`));
    expect(fm.execution.error).toMatch(/timed out after 1s/);
    const pid = Number(await read(root, `${PAGE}/child.pid`));
    await new Promise((r) => setTimeout(r, 200));
    // The grandchild is gone too (at most a zombie waiting for init to reap it).
    const state = await fs.readFile(`/proc/${pid}/stat`, 'utf8').then(
      (s) => s.split(') ')[1]?.[0],
      () => 'gone',
    );
    expect(['gone', 'Z', 'X']).toContain(state);
    expect((await new BlobStore(root).read(fm.logs.stdout)).toString()).toBe('started\n');
  });

  it('the engine-wide timeout (--timeout) also fails the entry', async () => {
    const root = await makeWorkspace({ [`${PAGE}/009-slow.md`]: entry('e-slow2', `  command: 'sleep 20'`) });
    const result = await executeEntry(path.join(root, PAGE, '009-slow.md'), { timeoutMs: 500 });
    expect(result.outcome).toBe('failed');
    expect(front(await read(root, `${PAGE}/009-slow.md`)).execution.error).toBe('timed out after 500ms');
  });

  it('never writes a resolved ${env:…} secret to the entry or to a blob', async () => {
    const secret = 'tok-3f9a1c2b7d4e-very-secret';
    const root = await makeWorkspace({
      [`${PAGE}/010-secret.md`]: entry(
        'e-secret',
        `  command: 'echo "using $TOKEN"; echo "$TOKEN" >&2; printf "{\\"t\\": \\"%s\\"}" "$TOKEN" > "$LAB_METRICS_FILE"; exit 1'\n  env: {TOKEN: "\${env:LAB_TEST_SECRET}"}`,
      ),
    });
    await executeEntry(path.join(root, PAGE, '010-secret.md'), { env: { ...process.env, LAB_TEST_SECRET: secret } });
    const text = await read(root, `${PAGE}/010-secret.md`);
    const blobs = await allBlobText(root);
    expect(text).not.toContain(secret);
    expect(blobs).not.toContain(secret);
    expect(blobs).toContain('using ${env:LAB_TEST_SECRET}');
    expect(front(text).metrics.t).toBe('${env:LAB_TEST_SECRET}');
    expect(text).toContain('TOKEN: "${env:LAB_TEST_SECRET}"');
  });

  it('a missing ${env:…} variable is a one-line error and the file is untouched', async () => {
    const root = await makeWorkspace({ [`${PAGE}/011-noenv.md`]: entry('e-noenv', `  command: 'true'\n  env: {TOKEN: "\${env:LAB_TEST_UNSET_VAR}"}`) });
    const before = await read(root, `${PAGE}/011-noenv.md`);
    const env = { ...process.env };
    delete env.LAB_TEST_UNSET_VAR;
    await expect(executeEntry(path.join(root, PAGE, '011-noenv.md'), { env })).rejects.toThrow(/LAB_TEST_UNSET_VAR is not set/);
    expect(await read(root, `${PAGE}/011-noenv.md`)).toBe(before);
  });

  it('completed entries are not re-run without --force; changed input files make them stale', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/012-stale.md`]: entry('e-stale', `  command: 'cat "$LAB_PARAM_DATA"'\n  parameters: {data: ./data.txt}`),
      [`${PAGE}/data.txt`]: 'v1\n',
    });
    const file = path.join(root, PAGE, '012-stale.md');
    expect((await executeEntry(file)).outcome).toBe('completed');
    const first = await read(root, `${PAGE}/012-stale.md`);
    const again = await executeEntry(file);
    expect(again.outcome).toBe('skipped');
    expect(await read(root, `${PAGE}/012-stale.md`)).toBe(first);
    await fs.writeFile(path.join(root, PAGE, 'data.txt'), 'v2\n');
    const stale = await executeEntry(file);
    expect(stale.outcome).toBe('refused');
    expect(stale.message).toMatch(/stale/);
    const rerun = await executeEntry(file, { stale: true });
    expect(rerun.outcome).toBe('completed');
    const fm = front(await read(root, `${PAGE}/012-stale.md`));
    expect(fm.execution.inputs_hash).not.toBe(front(first).execution.inputs_hash);
    expect((await new BlobStore(root).read(fm.logs.stdout)).toString()).toBe('v2\n');
    expect((await executeEntry(file, { force: true })).outcome).toBe('completed');
  });

  it('bad input ends as one clear error and changes nothing', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/013-type.md`]: entry('e-type', `  command: 'true'`).replace('type: command', 'type: quantum-computer'),
      [`${PAGE}/014-schema.md`]: entry('e-schema', '  command: 42\n  extra_key: 1'),
      [`${PAGE}/015-missing.md`]: entry('e-missing', `  command: 'true'\n  script: ./nope.py`),
      [`${PAGE}/016-param.md`]: entry('e-param', `  command: 'echo {{parameters.missing}}'`),
    });
    const cases: [string, RegExp][] = [
      ['013-type.md', /013-type\.md:4:1: unknown entry type `quantum-computer`/],
      ['014-schema.md', /014-schema\.md: 2 problems in `inputs`/],
      ['015-missing.md', /015-missing\.md:7:3: input file `\.\/nope\.py` does not exist/],
      ['016-param.md', /016-param\.md:\d+:\d+: `inputs.command` uses a \{\{parameters\.…\}\} placeholder/],
    ];
    for (const [name, message] of cases) {
      const before = await read(root, `${PAGE}/${name}`);
      const error = await executeEntry(path.join(root, PAGE, name)).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('\n');
      if (name === '014-schema.md') {
        expect((error as LabError).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
          '6:3 `inputs.command` must be a command string (run by the shell) or an argv list of strings (got number 42)',
          '7:3 `inputs.extra_key` is not an input of `command` entries; known keys: command, parameters, env, outputs, timeout',
        ]);
      }
      expect(await read(root, `${PAGE}/${name}`)).toBe(before);
    }
  });

  it('puts the result in a sidecar when the entry is edited during the run', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/017-edit.md`]: entry('e-edit', `  command: 'sleep 0.3; printf "\\nA line the user added.\\n" >> 017-edit.md; echo done'`),
    });
    const result = await executeEntry(path.join(root, PAGE, '017-edit.md'));
    expect(result.outcome).toBe('conflict');
    expect(result.sidecar).toBe(`${PAGE}/017-edit.md.result.yaml`);
    const text = await read(root, `${PAGE}/017-edit.md`);
    expect(text).toContain('A line the user added.');
    expect(front(text).status).toBe('running');
    const sidecar = parse(await read(root, result.sidecar!));
    expect(sidecar.status).toBe('completed');
    expect(sidecar.logs.stdout).toMatch(/^sha256:/);
  });

  it('writes back into Org entries and CRLF files, keeping their bytes', async () => {
    const org = `#+TITLE: Org run: colon kept\n#+ID: e-org\n#+TYPE: command\n#+INPUTS: {command: "echo org", parameters: {n: 1}}\n\n* Notes\nText.\n`;
    const crlf = entry('e-crlf', `  command: 'echo crlf'`).replace(/\n/g, '\r\n');
    const root = await makeWorkspace({ [`${PAGE}/018-org.org`]: org, [`${PAGE}/019-crlf.md`]: crlf });
    expect((await executeEntry(path.join(root, PAGE, '018-org.org'))).outcome).toBe('completed');
    const orgAfter = await read(root, `${PAGE}/018-org.org`);
    expect(orgAfter.startsWith(org.split('\n').slice(0, 4).join('\n'))).toBe(true);
    expect(orgAfter).toMatch(/^#\+STATUS: completed$/m);
    expect(orgAfter).toMatch(/^#\+EXECUTION: \{ started_at: /m);
    expect(orgAfter.endsWith('\n* Notes\nText.\n')).toBe(true);
    expect((await executeEntry(path.join(root, PAGE, '019-crlf.md'))).outcome).toBe('completed');
    const crlfAfter = await read(root, `${PAGE}/019-crlf.md`);
    expect(crlfAfter.replace(/\r\n/g, '')).not.toContain('\n');
    expect(userPart(crlfAfter.replace(/\r\n/g, '\n'))).toBe(crlf.replace(/\r\n/g, '\n'));
  });

  it.each(['git CLI', 'isomorphic-git'])('records git provenance: commit and a dirty flag scoped to the entry folder (%s)', async (mode) => {
    if (mode === 'isomorphic-git') process.env.LAB_GIT = 'isomorphic';
    try {
      const { default: git } = await import('isomorphic-git');
      const root = await makeWorkspace({
        [`${PAGE}/020-git.md`]: entry('e-git', `  command: 'cat script.sh'`),
        [`${PAGE}/script.sh`]: 'echo v1\n',
        'content/notebooks/nb/other/README.md': '---\ntitle: Other\n---\n',
      });
      await git.init({ fs, dir: root, defaultBranch: 'main' });
      for (const f of [`${PAGE}/020-git.md`, `${PAGE}/script.sh`, 'lab.config.yaml']) await git.add({ fs, dir: root, filepath: f });
      const sha = await git.commit({ fs, dir: root, message: 'init', author: { name: 't', email: 't@example.com' } });
      // Untracked files elsewhere in the repository do not make this run dirty.
      await executeEntry(path.join(root, PAGE, '020-git.md'));
      expect(front(await read(root, `${PAGE}/020-git.md`)).execution.git).toEqual({ commit: sha, dirty: false });
      await fs.writeFile(path.join(root, PAGE, 'script.sh'), 'echo v2\n');
      await executeEntry(path.join(root, PAGE, '020-git.md'), { force: true });
      expect(front(await read(root, `${PAGE}/020-git.md`)).execution.git).toEqual({ commit: sha, dirty: true });
      // An untracked new file next to the entry counts too; a sibling entry file does not.
      await git.add({ fs, dir: root, filepath: `${PAGE}/script.sh` });
      await git.commit({ fs, dir: root, message: 'v2', author: { name: 't', email: 't@example.com' } });
      await fs.writeFile(path.join(root, PAGE, '021-sibling.md'), entry('e-sib', `  command: 'true'`));
      await executeEntry(path.join(root, PAGE, '020-git.md'), { force: true });
      expect(front(await read(root, `${PAGE}/020-git.md`)).execution.git.dirty).toBe(false);
      await fs.writeFile(path.join(root, PAGE, 'helper.py'), 'print(1)\n');
      await executeEntry(path.join(root, PAGE, '020-git.md'), { force: true });
      expect(front(await read(root, `${PAGE}/020-git.md`)).execution.git.dirty).toBe(true);
    } finally {
      delete process.env.LAB_GIT;
    }
  });
});
