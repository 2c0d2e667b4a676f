/** Temp workspaces and CLI runs for the runner tests. */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');
export const LAB = path.join(REPO, 'src', 'cli', 'bin.ts');
export const PAGE = 'content/notebooks/nb/page-one/entries';

/** A fresh workspace with the given files (workspace-relative paths). */
export async function makeWorkspace(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const root = await fs.mkdtemp(path.join(tmpdir(), 'lab-runner-'));
  const base: Record<string, string | Uint8Array> = {
    'lab.config.yaml': 'name: test journal\n',
    'content/notebooks/nb/README.md': '---\ntitle: Notebook\n---\n',
    'content/notebooks/nb/page-one/README.md': '---\ntitle: Page one\n---\n',
  };
  for (const [rel, text] of Object.entries({ ...base, ...files })) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, text);
  }
  return root;
}

export async function read(root: string, rel: string): Promise<string> {
  return fs.readFile(path.join(root, rel), 'utf8');
}

/** Everything stored under content/blobs, as text, concatenated (for "no secret anywhere" checks). */
export async function allBlobText(root: string): Promise<string> {
  const dir = path.join(root, 'content', 'blobs');
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else out.push(await fs.readFile(path.join(d, e.name), 'latin1'));
    }
  };
  await walk(dir);
  return out.join('\n');
}

/** Runs `lab <args>` in `cwd`; resolves with exit code and output. */
export function lab(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LAB, ...args], { cwd, env: { ...process.env, CI: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The frontmatter text of an entry minus the runner's keys: what must never change. */
export function userPart(text: string): string {
  const lines = text.split(/(?<=\n)/);
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^(status|execution|outputs|metrics|artifacts|logs):/.test(line)) {
      skipping = true;
      continue;
    }
    if (skipping && /^[ \t]/.test(line)) continue;
    skipping = false;
    out.push(line);
  }
  return out.join('');
}

export async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}
