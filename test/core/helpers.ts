import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** A private copy of a fixture folder (compiling writes .lab/ into it). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lab-${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export function tmpDir(prefix = 'lab-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Compares with an expectation file; `UPDATE=1` rewrites it instead. */
export async function expectFile(file: string, actual: string): Promise<void> {
  if (process.env.UPDATE) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const run = promisify(execFile);

/** Runs the real CLI binary; never throws, returns code/stdout/stderr. */
export async function lab(args: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO, 'src/cli/bin.ts'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
