/**
 * `lab dev` (Astro's dev server on a journal) serves it and picks up edits to content/:
 * the loader watches the files, recompiles and the next request shows the change. Thumbnails,
 * blobs and the JSON API are served too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repoDir = path.resolve(import.meta.dirname, '../..');
let work: string;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lab-site-dev-'));
  cpSync(path.join(import.meta.dirname, 'fixtures', 'journal'), work, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, LAB_BASE: '/journal/' };
  // Drop what vitest (itself a Vite app) sets, which would leak into Astro's Vite.
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  // Below the ephemeral range (32768 and up), which other tests' sockets take from.
  const port = 20000 + Math.floor(Math.random() * 12000);
  child = spawn(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), 'dev', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab dev did not start:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/journal\/)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`lab dev exited ${code}:\n${output}`)));
  });
}, 120_000);

afterAll(() => {
  child?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('serves pages, assets and the API, and shows edits to content/', async () => {
  // The server prints its address a moment before the routes are ready.
  await expect.poll(async () => (await fetch(url + 'entries/entry-sunset-cfg9/')).status, { timeout: 60_000, interval: 500 }).toBe(200);
  const page = await (await fetch(url + 'entries/entry-sunset-cfg9/')).text();
  expect(page).toContain('<h1>Sunset with higher CFG</h1>');
  const thumb = /\/journal\/thumbs\/[0-9a-f]{64}-400\.webp/.exec(page)![0];
  await expect.poll(async () => (await fetch(new URL(thumb, url))).status, { timeout: 20_000 }).toBe(200);
  const api = await (await fetch(url + 'api/entries/entry-sunset-cfg9.json')).json();
  expect(api.id).toBe('entry-sunset-cfg9');
  const file = path.join(work, 'content/notebooks/ai-art/landscapes/entries/002-sunset-cfg9.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: Sunset with higher CFG', 'title: Sunset with a much higher CFG'));
  await expect
    .poll(async () => (await (await fetch(url + 'entries/entry-sunset-cfg9/')).text()).includes('<h1>Sunset with a much higher CFG</h1>'), {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(true);
}, 90_000);
