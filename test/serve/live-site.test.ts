/**
 * `lab serve` as a user starts it: the first line is the URL with the token; the live site is served
 * (Astro dev, picking up edits) with the lab bar added to its pages; the API answers on the same port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repoDir = path.resolve(import.meta.dirname, '../..');
let work: string;
let child: ChildProcess;
let first = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lab-serve-live-'));
  cpSync(path.join(repoDir, 'test', 'site', 'fixtures', 'journal'), work, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Drop what vitest (itself a Vite app) sets, which would leak into Astro's Vite.
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  child = spawn(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), 'serve', '--port', '0'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab serve did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      const line = output.split('\n')[0]!;
      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d));
    child.on('exit', (code) => reject(new Error(`lab serve exited ${code}:\n${output}`)));
  });
}, 150_000);

afterAll(() => {
  child?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

test('prints the URL first, serves the live site with the lab bar, and the API beside it', async () => {
  const m = /^lab serve: (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=([\w-]{32,})$/.exec(first);
  expect(m, first).not.toBeNull();
  const [, origin, , token] = m!;
  await expect.poll(async () => (await fetch(origin + 'entries/entry-sunset-cfg9/')).status, { timeout: 60_000, interval: 500 }).toBe(200);
  const page = await (await fetch(origin + 'entries/entry-sunset-cfg9/')).text();
  expect(page).toContain('<h1>Sunset with higher CFG</h1>');
  expect(page).toContain('<script type="module" src="/_lab/inject.js"></script>');
  const api = await fetch(origin + 'api/entries/entry-sunset-cfg9', { headers: { Authorization: `Bearer ${token}` } });
  expect(((await api.json()) as any).title).toBe('Sunset with higher CFG');
  expect((await fetch(origin + 'api/entries/entry-sunset-cfg9')).status).toBe(401);
  // The site is refused to a rebinding page like the API is.
  const rebound = await fetch(origin + 'entries/entry-sunset-cfg9/', { headers: { Origin: 'http://127.0.0.1.attacker.example' } });
  expect(rebound.status).toBe(403);
  // An edit in an editor shows up in the site and in the API.
  const file = path.join(work, 'content/notebooks/ai-art/landscapes/entries/002-sunset-cfg9.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: Sunset with higher CFG', 'title: Sunset with a much higher CFG'));
  await expect
    .poll(async () => (await (await fetch(origin + 'entries/entry-sunset-cfg9/')).text()).includes('<h1>Sunset with a much higher CFG</h1>'), {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(true);
  await expect
    .poll(
      async () => ((await (await fetch(origin + 'api/entries/entry-sunset-cfg9', { headers: { Authorization: `Bearer ${token}` } })).json()) as any).title,
      { timeout: 10_000 },
    )
    .toBe('Sunset with a much higher CFG');
}, 120_000);

test('the static build carries none of the served UI', async () => {
  const { globSync } = await import('node:fs');
  const files = globSync('src/{pages,layouts,components,site}/**/*.{astro,ts,mjs}', { cwd: repoDir });
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) expect(readFileSync(path.join(repoDir, f), 'utf8'), f).not.toMatch(/_lab\/|serve\/ui/);
});
