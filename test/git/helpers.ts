/**
 * Builds real git repositories of real journal files for the git tests, with
 * isomorphic-git commits (deterministic author and dates).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { stringify } from 'yaml';

export interface TestRepo {
  dir: string;
  write(files: Record<string, string>): void;
  remove(...paths: string[]): void;
  move(from: string, to: string): void;
  /** Stages everything (adds, edits, deletions) and commits; returns the oid. */
  commit(message: string, author?: string): Promise<string>;
  branch(name: string): Promise<void>;
  checkout(name: string): Promise<void>;
  read(p: string): string;
}

const created: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs()`. */
export function tempDir(prefix = 'lab-git-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder made by `tempDir`/`makeRepo` in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export async function makeRepo(prefix = 'lab-git-'): Promise<TestRepo> {
  const dir = tempDir(prefix);
  await git.init({ fs, dir, defaultBranch: 'main' });
  // Each repository has its own clock, so commit ids are the same on every run.
  let clock = Date.UTC(2024, 10, 27, 10, 0, 0) / 1000;
  fs.writeFileSync(path.join(dir, 'lab.config.yaml'), 'name: Test lab\nrepository: https://github.com/acme/journal\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.lab/\n');
  const repo: TestRepo = {
    dir,
    write(files) {
      for (const [p, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), text);
      }
    },
    remove(...paths) {
      for (const p of paths) fs.rmSync(path.join(dir, p), { recursive: true, force: true });
    },
    move(from, to) {
      fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
      fs.renameSync(path.join(dir, from), path.join(dir, to));
    },
    async commit(message, author = 'Ada Lovelace') {
      const matrix = await git.statusMatrix({ fs, dir });
      for (const [filepath, headStatus, workdirStatus] of matrix) {
        if (workdirStatus === 0) await git.remove({ fs, dir, filepath });
        else if (headStatus !== 1 || workdirStatus !== 1) await git.add({ fs, dir, filepath });
      }
      clock += 3600;
      return git.commit({
        fs,
        dir,
        message,
        author: { name: author, email: `${author.split(' ')[0]!.toLowerCase()}@example.org`, timestamp: clock, timezoneOffset: 0 },
      });
    },
    async branch(name) {
      await git.branch({ fs, dir, ref: name });
    },
    async checkout(name) {
      await git.checkout({ fs, dir, ref: name });
    },
    read(p) {
      return fs.readFileSync(path.join(dir, p), 'utf8');
    },
  };
  return repo;
}

function md(frontmatter: Record<string, unknown>, body = ''): string {
  return `---\n${stringify(frontmatter, { lineWidth: 0 })}---\n${body}`;
}

export const NB = 'content/notebooks/ai-art';
export const PAGE = `${NB}/landscapes`;
export const ENTRIES = `${PAGE}/entries`;

export function notebook(settings: Record<string, unknown> = { metrics: { aesthetic: 'higher', loss: 'lower' } }): string {
  return md({ title: 'AI Art', id: 'nb-ai-art', settings }, 'Landscape and portrait experiments.\n');
}

export function page(sections: Partial<Record<'Goals' | 'Hypothesis' | 'Observations' | 'Conclusions' | 'Next Steps', string>> = {}): string {
  const body = Object.entries(sections)
    .map(([h, t]) => `## ${h}\n\n${t}\n`)
    .join('\n');
  return md({ title: 'Landscape Generation', id: 'page-landscapes', date: '2024-11-27' }, `\n${body}`);
}

export interface EntryOptions {
  id: string;
  title: string;
  parameters?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  status?: string;
  metrics?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  rating?: number;
  run?: { started: string; seconds: number };
  artifacts?: Record<string, unknown>[];
  variation_of?: string;
  parent?: string;
  notes?: string;
}

export function entry(o: EntryOptions): string {
  const fm: Record<string, unknown> = { id: o.id, title: o.title, type: 'manual', created: '2024-11-27T10:00:00Z' };
  if (o.variation_of) fm.variation_of = o.variation_of;
  if (o.parent) fm.parent = o.parent;
  if (o.rating !== undefined) fm.rating = o.rating;
  fm.inputs = { ...(o.inputs ?? {}), ...(o.parameters ? { parameters: o.parameters } : {}) };
  if (o.status) fm.status = o.status;
  if (o.run) {
    const start = Date.parse(o.run.started);
    fm.execution = {
      started_at: o.run.started,
      completed_at: new Date(start + o.run.seconds * 1000).toISOString().replace('.000Z', 'Z'),
      duration_seconds: o.run.seconds,
      runner: { name: 'manual', version: '1' },
    };
  }
  if (o.outputs) fm.outputs = o.outputs;
  if (o.metrics) fm.metrics = o.metrics;
  if (o.artifacts) fm.artifacts = o.artifacts;
  return md(fm, o.notes ? `\n${o.notes}\n` : '');
}

/** A fake PNG stored in the blob store; returns its artifact record. */
export function blob(repo: TestRepo, name: string, seed: string): Record<string, unknown> {
  const bytes = Buffer.from(`\x89PNG\r\n\x1a\n${seed}`);
  const hex = createHashHex(bytes);
  const file = path.join(repo.dir, `content/blobs/${hex.slice(0, 2)}/${hex}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return { name, hash: `sha256:${hex}`, type: 'image/png', size_bytes: bytes.length, width: 1024, height: 1024 };
}

function createHashHex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
