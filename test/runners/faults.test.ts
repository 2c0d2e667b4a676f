/**
 * Attacks from the adversarial review on `lab run`, as fault-injection tests:
 * secrets in every form, symlinked inputs, two runs at once, a hung-up or
 * killed runner, a reused pid, a read-only blob store, a full disk, a flood of
 * output, and small write-back faults. "A run never escapes and never lies."
 */
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { lockFile } from '../../src/runners/entry-lock.ts';
import { applyRunnerValues } from '../../src/runners/write-back.ts';
import { makeReadOnly, makeTinyFilesystem, requireFault, tempFilesUnder } from './fault-injection.ts';
import { allBlobText, LAB, lab, makeWorkspace, PAGE, read, waitFor } from './helpers.ts';

const front = (text: string) => splitMarkdown(text).data as Record<string, any>;
const cmd = (id: string, command: string, extra = '') =>
  `---\nid: ${id}\ntitle: Entry ${id}\ntype: command\ninputs:\n  command: '${command}'\n${extra}---\nNotes stay.\n`;

/** Everything a run could leak into: the entry, blobs, .lab/, and what it printed. */
async function everywhere(root: string, printed: string): Promise<string> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else files.push(await fs.readFile(p, 'latin1'));
    }
  };
  await walk(path.join(root, 'content'));
  await walk(path.join(root, '.lab'));
  return `${files.join('\n')}\n${await allBlobText(root)}\n${printed}`;
}

/** Alive, and not a zombie (a container's init may never reap an orphan that exited). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return true;
  }
}

let server: Server;
let base: string;
const requests: { url: string; body: string }[] = [];
beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    requests.push({ url: req.url!, body });
    const url = new URL(req.url!, 'http://x');
    // Echoes what it got, in the shapes secrets travel in: a JSON body and an HTML page.
    if (url.pathname === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${req.url}</p>`);
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, query: Object.fromEntries(url.searchParams), body }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('secrets are redacted in every form (attack 3)', { timeout: 60_000 }, () => {
  const SECRET = 'tok+en/with=signs"and\\slash';
  const forms = [
    SECRET,
    encodeURIComponent(SECRET),
    new URLSearchParams({ x: SECRET }).toString().slice(2),
    JSON.stringify(SECRET).slice(1, -1),
    'tok+en/with=signs',
  ];

  it('http query, JSON echo, HTML echo, progress line and error: nowhere raw, URL-encoded or JSON-escaped', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-json.md`]: `---\nid: s-json\ntitle: json\ntype: http\ninputs:\n  url: ${base}/echo\n  query: { token: "\${env:LAB_TEST_TOKEN}" }\n  method: POST\n  body: { token: "\${env:LAB_TEST_TOKEN}" }\n---\n`,
      [`${PAGE}/002-html.md`]: `---\nid: s-html\ntitle: html\ntype: http\ninputs:\n  url: ${base}/html\n  query: { token: "\${env:LAB_TEST_TOKEN}" }\n---\n`,
    });
    const r = await lab(['run', '--all'], root, { LAB_TEST_TOKEN: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(requests.some((q) => q.url.includes(encodeURIComponent(SECRET)) || q.url.includes(new URLSearchParams({ x: SECRET }).toString().slice(2)))).toBe(
      true,
    );
    const all = await everywhere(root, r.stdout + r.stderr);
    for (const form of forms) expect(all, form).not.toContain(form);
    expect(await read(root, `${PAGE}/001-json.md`)).toContain('${env:LAB_TEST_TOKEN}');
  });

  it('a command line in the progress line, a token printed in two chunks, and a failing command', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-chunks.md`]: cmd(
        's-chunks',
        'printf "%s" "${TOKEN%%/*}"; sleep 0.3; printf "/%s\\n" "${TOKEN#*/}"; echo "$LAB_PARAM_T"; exit 3',
        '  env: { TOKEN: "${env:LAB_TEST_TOKEN}" }\n  parameters: { t: "${env:LAB_TEST_TOKEN}" }\n',
      ),
    });
    const r = await lab(['run', `${PAGE}/001-chunks.md`], root, { LAB_TEST_TOKEN: SECRET, CI: '1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('${env:LAB_TEST_TOKEN}');
    const all = await everywhere(root, r.stdout + r.stderr);
    for (const form of forms) expect(all, form).not.toContain(form);
    expect(front(await read(root, `${PAGE}/001-chunks.md`)).status).toBe('failed');
  });
});

describe('input files cannot leave the workspace through symlinks (attack 4)', { timeout: 60_000 }, () => {
  it('an http body symlinked to a file outside is refused before any request', async () => {
    const outside = path.join(await fs.mkdtemp(path.join(tmpdir(), 'lab-outside-')), 'hostname');
    await fs.writeFile(outside, 'secret-host-file\n');
    const root = await makeWorkspace({
      [`${PAGE}/001-body.md`]: `---\nid: l-body\ntitle: body\ntype: http\ninputs:\n  url: ${base}/upload\n  method: POST\n  body: ./data.csv\n---\n`,
    });
    symlinkSync(outside, path.join(root, PAGE, 'data.csv'));
    const before = requests.length;
    const r = await lab(['run', `${PAGE}/001-body.md`], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/001-body\.md:\d+:\d+: input `\.\/data\.csv` points outside the workspace \(through a symlink\)/);
    expect(requests.slice(before).some((q) => q.body.includes('secret-host-file'))).toBe(false);
    expect(front(await read(root, `${PAGE}/001-body.md`)).status).toBeUndefined();
  });

  it('a SQLite database symlinked outside (./ or workspace-relative) is neither read nor written', async () => {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'lab-outside-'));
    const db = path.join(dir, 'victim.db');
    const d = new DatabaseSync(db);
    d.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    d.close();
    const bytes = await fs.readFile(db);
    const sql = (id: string, database: string) =>
      `---\nid: ${id}\ntitle: sql\ntype: sql\ninputs:\n  database: ${database}\n  query: "DELETE FROM t RETURNING x"\n  read_only: false\n---\n`;
    const root = await makeWorkspace({ [`${PAGE}/001-dot.md`]: sql('l-dot', './local.db'), [`${PAGE}/002-rel.md`]: sql('l-rel', `${PAGE}/local.db`) });
    symlinkSync(db, path.join(root, PAGE, 'local.db'));
    for (const file of ['001-dot.md', '002-rel.md']) {
      const r = await lab(['run', `${PAGE}/${file}`], root);
      expect(r.stdout + r.stderr).toMatch(/outside the workspace \(through a symlink\)/);
    }
    expect((await fs.readFile(db)).equals(bytes)).toBe(true);
  });
});

describe('one run per entry, no orphans (attack 6)', { timeout: 120_000 }, () => {
  it('two simultaneous runs of one entry execute it once (5 trials)', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const root = await makeWorkspace({ [`${PAGE}/001-once.md`]: cmd('o-once', 'echo run >> runs.txt; sleep 1') });
      const [a, b] = await Promise.all([lab(['run', `${PAGE}/001-once.md`], root), lab(['run', `${PAGE}/001-once.md`], root)]);
      const runs = (await read(root, `${PAGE}/runs.txt`)).trim().split('\n');
      expect(runs, `trial ${trial}: ${a.stderr} | ${b.stderr}`).toHaveLength(1);
      const loser = a.stdout.includes('completed in') ? b : a;
      expect(loser.stdout + loser.stderr).toMatch(/already running|completed and up to date|changed on disk/);
      expect(front(await read(root, `${PAGE}/001-once.md`)).status).toBe('completed');
    }
  });

  it('two runs of one entry started together in one process (the SDK) execute it once (10 trials)', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const root = await makeWorkspace({ [`${PAGE}/001-sdk.md`]: cmd('o-sdk', 'echo run >> runs.txt') });
      const file = path.join(root, PAGE, '001-sdk.md');
      const results = await Promise.all(
        [executeEntry(file, { root }), executeEntry(file, { root })].map((p) => p.catch((e: Error) => ({ outcome: 'error', message: e.message }))),
      );
      const runs = (await read(root, `${PAGE}/runs.txt`)).trim().split('\n');
      expect(runs, `trial ${trial}: ${JSON.stringify(results)}`).toHaveLength(1);
      expect(results.map((r) => r.outcome).sort()).toEqual(['completed', expect.stringMatching(/refused|error|skipped/)]);
    }
  });

  it('SIGHUP ends the run like SIGTERM: the command group is stopped, the entry interrupted, the lock released', async () => {
    const root = await makeWorkspace({ [`${PAGE}/001-hup.md`]: cmd('o-hup', 'echo $$ > pid.txt; echo go; exec sleep 30') });
    const child = spawn(process.execPath, [LAB, 'run', `${PAGE}/001-hup.md`], { cwd: root, env: { ...process.env, CI: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await waitFor(async () => out.includes('go'));
    const pid = Number(await read(root, `${PAGE}/pid.txt`));
    expect(isAlive(pid)).toBe(true);
    child.kill('SIGHUP');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    await waitFor(async () => !isAlive(pid), 5000);
    expect(front(await read(root, `${PAGE}/001-hup.md`)).status).toBe('interrupted');
    await expect(fs.stat(lockFile(root, `${PAGE}/001-hup.md`))).rejects.toThrow();
  });

  it('kill -9 of lab run: the next run refuses while the orphan runs, --force stops it and runs once', async () => {
    const root = await makeWorkspace({ [`${PAGE}/001-kill.md`]: cmd('o-kill', 'echo $$ > pid.txt; echo go; exec sleep 30') });
    const child = spawn(process.execPath, [LAB, 'run', `${PAGE}/001-kill.md`], { cwd: root, env: { ...process.env, CI: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await waitFor(async () => out.includes('go'));
    const orphan = Number(await read(root, `${PAGE}/pid.txt`));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(isAlive(orphan)).toBe(true);
    const refused = await lab(['run', `${PAGE}/001-kill.md`], root);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain(`process group ${orphan}`);
    expect(isAlive(orphan)).toBe(true);
    await fs.writeFile(path.join(root, PAGE, '001-kill.md'), (await read(root, `${PAGE}/001-kill.md`)).replace('exec sleep 30', 'true'));
    const forced = await lab(['run', '--force', `${PAGE}/001-kill.md`], root);
    expect(forced.code, forced.stderr).toBe(0);
    await waitFor(async () => !isAlive(orphan), 5000);
    expect(front(await read(root, `${PAGE}/001-kill.md`)).status).toBe('completed');
  });

  it('a recorded pid reused by another process does not make the entry un-runnable', async () => {
    // This test's own pid is alive, on this host, and is not a lab run of the entry.
    const root = await makeWorkspace({
      [`${PAGE}/001-reuse.md`]: cmd('o-reuse', 'echo ok', `status: running\nexecution: { host: ${hostname()}, pid: ${process.pid} }\n`),
    });
    const r = await lab(['run', `${PAGE}/001-reuse.md`], root);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(front(await read(root, `${PAGE}/001-reuse.md`)).status).toBe('completed');
  });
});

describe('storage faults end cleanly (attack 7)', { timeout: 120_000 }, () => {
  it('a read-only blob store: the entry ends failed naming the path, no temp files, and -j 2 finishes the batch', async ({ skip }) => {
    if (!requireFault('readOnly')) return skip();
    const root = await makeWorkspace({
      [`${PAGE}/001-out.md`]: cmd('f-out', 'echo result > out.txt; echo logged', '  outputs: out.txt\n'),
      [`${PAGE}/002-out.md`]: cmd('f-out2', 'echo second > out2.txt', '  outputs: out2.txt\n'),
      [`${PAGE}/003-manual.md`]: '---\nid: f-manual\ntitle: manual\ntype: manual\n---\n',
    });
    const undo = await makeReadOnly(path.join(root, 'content', 'blobs'));
    try {
      const r = await lab(['run', '--all', '-j', '2'], root);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(1);
      for (const file of ['001-out.md', '002-out.md']) {
        const fm = front(await read(root, `${PAGE}/${file}`));
        expect(fm.status, file).toBe('failed');
        expect(fm.execution.error).toMatch(/cannot write content\/blobs\S*: (the file system is read-only|permission denied)/);
      }
      expect(front(await read(root, `${PAGE}/003-manual.md`)).status).toBe('completed');
      expect(await tempFilesUnder(path.join(root, 'content'))).toEqual([]);
    } finally {
      await undo();
    }
  });

  it('a full disk (a 256 KiB tmpfs as the blob store): failed with the cause, no temp files, the next entry still runs', async ({ skip }) => {
    if (!requireFault('tinyFs')) return skip();
    const root = await makeWorkspace({
      [`${PAGE}/001-big.md`]: cmd('f-big', 'head -c 600000 /dev/urandom > big.bin', '  outputs: big.bin\n'),
      [`${PAGE}/002-small.md`]: '---\nid: f-small\ntitle: small\ntype: manual\n---\n',
    });
    const undo = await makeTinyFilesystem(path.join(root, 'content', 'blobs'), 256 * 1024);
    try {
      const r = await lab(['run', '--all'], root);
      expect(r.stderr).not.toMatch(/internal error/);
      const fm = front(await read(root, `${PAGE}/001-big.md`));
      expect(fm.status).toBe('failed');
      expect(fm.execution.error).toMatch(/cannot write content\/blobs.*no space left on the device \(ENOSPC\)/);
      expect(front(await read(root, `${PAGE}/002-small.md`)).status).toBe('completed');
      expect(await tempFilesUnder(path.join(root, 'content'))).toEqual([]);
    } finally {
      await undo();
    }
  });

  it('an entries folder that turns read-only mid-run: the result is reported lost with its path, no temp file, not an internal error', async ({ skip }) => {
    if (!requireFault('readOnly')) return skip();
    const root = await makeWorkspace({
      [`${PAGE}/001-ro.md`]: cmd('f-ro', 'echo $$ > pid.txt; while [ ! -e "$LAB_TEST_GO" ]; do sleep 0.05; done; echo done'),
    });
    // The command waits for a file outside the entries folder, so the folder is read-only before the run can end.
    const go = path.join(root, 'go');
    const child = spawn(process.execPath, [LAB, 'run', `${PAGE}/001-ro.md`], { cwd: root, env: { ...process.env, CI: '', LAB_TEST_GO: go } });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    await waitFor(async () =>
      fs.stat(path.join(root, PAGE, 'pid.txt')).then(
        () => true,
        () => false,
      ),
    );
    const undo = await makeReadOnly(path.join(root, PAGE));
    await fs.writeFile(go, '');
    try {
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(1);
      expect(err).not.toMatch(/internal error/);
      expect(err).toMatch(/the result could not be saved: cannot write .*001-ro\.md.*(read-only|permission denied)/);
      expect(await tempFilesUnder(path.join(root, PAGE))).toEqual([]);
    } finally {
      await undo();
    }
    // Left `running` (nothing could be written); lab check says so, and the next run is allowed.
    expect((await lab(['check'], root)).stdout).toMatch(/001-ro\.md:\d+:1: warning: stuck/);
  });
});

describe('logs are bounded (attack 8)', { timeout: 120_000 }, () => {
  it('50 MB of stdout keeps a 1 MiB head and tail with a marker and the full byte count', async () => {
    const root = await makeWorkspace({ [`${PAGE}/001-flood.md`]: cmd('b-flood', 'echo FIRST; head -c 50000000 /dev/zero | tr "\\\\0" x; echo; echo LAST') });
    const r = await lab(['run', `${PAGE}/001-flood.md`], root, { LAB_LOG_LIMIT: '1m' });
    expect(r.code, r.stderr).toBe(0);
    const fm = front(await read(root, `${PAGE}/001-flood.md`));
    expect(fm.execution.log_bytes).toEqual({ stdout: 50_000_000 + 'FIRST\n'.length + '\nLAST\n'.length });
    const log = (await new BlobStore(root).read(fm.logs.stdout)).toString('utf8');
    expect(log.length).toBeLessThan(1024 * 1024 + 500);
    expect(log.startsWith('FIRST\n')).toBe(true);
    expect(log.endsWith('\nLAST\n')).toBe(true);
    expect(log).toMatch(/\[… lab: \d+ bytes of stdout omitted here; the run printed 50000012 bytes/);
  });
});

describe('small write-back faults (attack 15)', { timeout: 60_000 }, () => {
  it("keeps mode 600 and the owner; keeps a comment on a runner-key line; uses the file's own line ending", async () => {
    const text =
      '---\r\nid: w-mode\r\ntitle: mode\r\ntype: command\r\ninputs:\r\n  command: echo hi\r\nstatus: created  # reviewed by Ana\r\n---\nBody with LF.\n';
    const root = await makeWorkspace({ [`${PAGE}/001-mode.md`]: text });
    const file = path.join(root, PAGE, '001-mode.md');
    await fs.chmod(file, 0o600);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await fs.chown(file, 4321, 4321);
    const r = await lab(['run', `${PAGE}/001-mode.md`], root);
    expect(r.code, r.stderr).toBe(0);
    const st = await fs.stat(file);
    expect(st.mode & 0o777).toBe(0o600);
    if (asRoot) expect([st.uid, st.gid]).toEqual([4321, 4321]);
    const after = await read(root, `${PAGE}/001-mode.md`);
    expect(after).toContain('status: completed  # reviewed by Ana\r\n');
    const header = after.slice(0, after.indexOf('---\nBody'));
    expect(header.replace(/\r\n/g, '')).not.toContain('\n'); // every header line ends CRLF, like most of the file's header
    expect(after.endsWith('---\nBody with LF.\n')).toBe(true);
  });

  it('applyRunnerValues keeps comments on block runner keys too', () => {
    const out = applyRunnerValues('---\nid: x\nexecution:   # the record\n  host: a\n---\n', 'md', { execution: { host: 'b' } });
    expect(out).toBe('---\nid: x\nexecution:   # the record\n  host: b\n---\n');
  });
});
