/**
 * `lab preview` of two journals at once: each serves its own dist/ on its own port (the next free
 * one when the first is taken), under its own base path, and stops on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO, tmpDir } from '../core/helpers.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

function journal(name: string, base: string): string {
  const root = tmpDir(`lab-preview-${name}-`);
  mkdirSync(path.join(root, 'content', 'notebooks'), { recursive: true });
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'lab.config.yaml'), `name: ${name}\nbase: ${base}\n`);
  writeFileSync(path.join(root, 'dist', 'index.html'), `<!doctype html><title>${name}</title><h1>journal ${name}</h1>\n`);
  return root;
}

function preview(root: string, port: number): Promise<string> {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  const child = spawn(process.execPath, [path.join(REPO, 'src', 'cli', 'bin.ts'), 'preview', '--port', String(port)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab preview did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /^lab preview: (http:\/\/\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`lab preview exited ${code}:\n${output}`)));
  });
}

/**
 * A port that is free now and that the system does not hand out on its own: below Linux's
 * ephemeral range (32768 and up), so no other test's client socket or port-0 server can take it
 * between this check and `lab preview`'s listen.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

it('previews two journals at once without a collision', async () => {
  const port = await freePort();
  const a = await preview(journal('alpha', '/alpha/'), port);
  const b = await preview(journal('beta', '/beta/'), port);
  expect(a).toBe(`http://127.0.0.1:${port}/alpha/`);
  expect(b).not.toBe(a);
  expect(b).toMatch(/\/beta\/$/);
  expect(await (await fetch(a)).text()).toContain('journal alpha');
  expect(await (await fetch(b)).text()).toContain('journal beta');
}, 120_000);
