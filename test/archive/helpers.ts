/**
 * Journals for the archive tests: real git repositories (isomorphic-git,
 * deterministic commits) with entries whose artifacts are real PNGs (sharp)
 * stored content-addressed, as `lab run` would leave them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import sharp from 'sharp';
import { stringify } from 'yaml';

const NB = 'content/notebooks/renders';
export const PAGE = `${NB}/2024-03-sunsets`;

const made: string[] = [];

export function removeJournals(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface Journal {
  dir: string;
  write(rel: string, data: string | Uint8Array): void;
  read(rel: string): string;
  /** Stores bytes as a blob; returns the artifact record. */
  blob(name: string, bytes: Uint8Array, type: string, extra?: Record<string, unknown>): Record<string, unknown>;
  commit(message: string): Promise<string>;
  blobFiles(): string[];
}

export async function makeJournal(options: { git?: boolean; config?: string; notebookSettings?: Record<string, unknown> } = {}): Promise<Journal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-archive-'));
  made.push(dir);
  let clock = Date.UTC(2025, 0, 1) / 1000;
  const j: Journal = {
    dir,
    write(rel, data) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), data);
    },
    read: (rel) => fs.readFileSync(path.join(dir, rel), 'utf8'),
    blob(name, bytes, type, extra = {}) {
      const hex = createHash('sha256').update(bytes).digest('hex');
      j.write(`content/blobs/${hex.slice(0, 2)}/${hex}.${name.split('.').pop()}`, bytes);
      return { name, hash: `sha256:${hex}`, type, size_bytes: bytes.byteLength, ...extra };
    },
    async commit(message) {
      const matrix = await git.statusMatrix({ fs, dir });
      for (const [filepath, head, work] of matrix) {
        if (work === 0) await git.remove({ fs, dir, filepath });
        else if (head !== 1 || work !== 1) await git.add({ fs, dir, filepath });
      }
      clock += 3600;
      return git.commit({ fs, dir, message, author: { name: 'Ada', email: 'ada@example.org', timestamp: clock, timezoneOffset: 0 } });
    },
    blobFiles() {
      const root = path.join(dir, 'content', 'blobs');
      if (!fs.existsSync(root)) return [];
      return fs
        .readdirSync(root)
        .flatMap((s) => fs.readdirSync(path.join(root, s)).map((f) => `${s}/${f}`))
        .filter((f) => !f.includes('.gitkeep'))
        .sort();
    },
  };
  j.write('lab.config.yaml', `name: Archive test\n${options.config ?? ''}`);
  j.write('.gitignore', '.lab/\n');
  j.write(`${NB}/README.md`, `---\n${stringify({ title: 'Renders', ...(options.notebookSettings ? { settings: options.notebookSettings } : {}) })}---\n`);
  j.write(`${PAGE}/README.md`, '---\ntitle: Sunsets\ndate: 2024-03-01\n---\n\n## Goals\n\nFind a good sky.\n');
  if (options.git ?? true) await git.init({ fs, dir, defaultBranch: 'main' });
  return j;
}

/** A noisy PNG (so a thumbnail is much smaller than the original). */
export async function noisePng(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    raw[i] = x & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** An entry file as `lab run` writes it. */
export function entryFile(fields: Record<string, unknown>, notes = 'Notes.'): string {
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n\n${notes}\n`;
}
