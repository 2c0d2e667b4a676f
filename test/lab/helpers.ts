import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/index.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const ROLLOUTS = path.join(import.meta.dirname, 'fixtures', 'rollouts');
const EXPECTED = path.join(import.meta.dirname, 'fixtures', 'expected');
/** The shared Codex fixtures, read in place from ../shared (never copied into the project). */
export const SHARED_CODEX = path.resolve(REPO, process.env.LAB_SHARED_DIR ?? '../shared', 'fixtures/codex');
export const SHARED_AVAILABLE = existsSync(SHARED_CODEX);

export function tmpDir(prefix = 'lab-sessions-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh workspace (lab.config.yaml marks the root). */
export async function tmpWorkspace(config = 'name: Test lab\n'): Promise<string> {
  const dir = tmpDir('lab-ws-');
  await writeFile(path.join(dir, 'lab.config.yaml'), config);
  return dir;
}

/** Runs the CLI in-process (`lab -C dir …`), capturing output. */
export async function lab(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['-C', dir, ...args], { out: (s) => (stdout += `${s}\n`), err: (s) => (stderr += `${s}\n`) });
  return { code, stdout, stderr };
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Compares a record with its expectation key by key (so a failure names the field); `UPDATE=1` rewrites it. */
export async function expectRecord(name: string, actual: Record<string, unknown>): Promise<void> {
  const file = path.join(EXPECTED, `${name}.json`);
  if (process.env.UPDATE) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!existsSync(file)) throw new Error(`missing expectation ${file} (run with UPDATE=1 to create it, then review it)`);
  const expected = readJson(file);
  expect(Object.keys(actual).sort(), `${name}: keys`).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) expect(actual[key], `${name}: ${key}`).toEqual(expected[key]);
}
