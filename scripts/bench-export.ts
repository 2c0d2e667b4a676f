/**
 * `npm run bench:export`: `lab export notebook … --format eln` (and `lab import` of the
 * result) on a generated image-heavy notebook, against a baseline measured in the same
 * run: a plain streamed copy of the same blob bytes into one file. Prints time, peak RSS
 * and the ratios. The point is memory: the archive is streamed, so peak RSS must stay
 * flat however many gigabytes the blobs hold.
 *
 *   node scripts/bench-export.ts [--mb 2048] [--entries 400] [--keep]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

const projectDir = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '2048' },
    entries: { type: 'string', default: '400' },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
  allowPositionals: true,
});

/** The baseline, run as a child: stream every blob into one file, nothing else. */
async function copyAll(journal: string, out: string): Promise<void> {
  const { default: fg } = await import('fast-glob');
  const files = (await fg('content/blobs/**/*.png', { cwd: journal })).sort();
  const sink = createWriteStream(out);
  for (const f of files) await pipeline(createReadStream(path.join(journal, f)), sink, { end: false });
  sink.end();
  await new Promise<void>((r) => sink.on('close', () => r()));
}

if (values.child === 'copy') {
  const [journal, out] = process.argv.slice(-2);
  await copyAll(journal!, out!);
  process.exit(0);
}

interface Run {
  seconds: number;
  maxRssMb: number;
}

function runNode(args: string[], cwd: string): Promise<Run> {
  const rssFile = path.join(os.tmpdir(), `lab-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const hook = `data:text/javascript,${encodeURIComponent(`import{writeFileSync}from'node:fs';process.on('exit',()=>{try{writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS))}catch{}})`)}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      rmSync(rssFile, { force: true });
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}\n${stderr.slice(-4000)}`));
      else resolve({ seconds, maxRssMb });
    });
  });
}

/** A notebook with one page and `entries` entries, each with PNG-named blobs of random bytes adding up to `mb`. */
async function generate(dir: string, mb: number, entries: number): Promise<number> {
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write('lab.config.yaml', 'name: Export bench\nlicense: CC-BY-4.0\n');
  write('content/notebooks/big/README.md', '---\ntitle: Big renders\n---\n');
  write('content/notebooks/big/renders/README.md', '---\ntitle: Renders\ndate: 2025-01-01\n---\n');
  const perEntry = Math.max(1, Math.round((mb * 1024 * 1024) / entries));
  const chunk = 4 * 1024 * 1024;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    const artifacts: string[] = [];
    for (let k = 0; k < 2; k++) {
      const size = Math.floor(perEntry / 2);
      const tmp = path.join(dir, 'content', 'blobs', `.gen-${i}-${k}`);
      mkdirSync(path.dirname(tmp), { recursive: true });
      const hash = createHash('sha256');
      const out = createWriteStream(tmp);
      for (let left = size; left > 0; left -= chunk) {
        const bytes = randomBytes(Math.min(chunk, left));
        hash.update(bytes);
        if (!out.write(bytes)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      out.end();
      await new Promise<void>((r) => out.on('close', () => r()));
      const hex = hash.digest('hex');
      mkdirSync(path.join(dir, 'content', 'blobs', hex.slice(0, 2)), { recursive: true });
      const { renameSync } = await import('node:fs');
      renameSync(tmp, path.join(dir, 'content', 'blobs', hex.slice(0, 2), `${hex}.png`));
      artifacts.push(`  - { name: render-${k}.png, hash: "sha256:${hex}", type: image/png, size_bytes: ${size} }`);
      total += size;
    }
    write(
      `content/notebooks/big/renders/entries/${String(i + 1).padStart(4, '0')}-render.md`,
      `---\nid: entry-bench-${i}\ntitle: Render ${i}\ntype: manual\ncreated: 2025-01-01T00:00:00Z\nstatus: completed\ntags: [bench]\nartifacts:\n${artifacts.join('\n')}\n---\n\nRender ${i}.\n`,
    );
  }
  return total;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-export-'));
try {
  const mb = Number(values.mb);
  const journal = path.join(dir, 'journal');
  console.log(`generating a notebook with ${values.entries} entries and ${mb} MB of blobs in ${journal} …`);
  const bytes = await generate(journal, mb, Number(values.entries));
  const lab = path.join(projectDir, 'lib', 'cli', 'bin.js');
  await runNode([lab, 'compile'], journal);
  const baseline = await runNode([import.meta.filename, '--child', 'copy', journal, path.join(dir, 'copy.bin')], projectDir);
  rmSync(path.join(dir, 'copy.bin'), { force: true });
  const exported = await runNode([lab, 'export', 'notebook', 'nb-big', '--format', 'eln', '-o', path.join(dir, 'big.eln')], journal);
  const size = statSync(path.join(dir, 'big.eln')).size;
  const target = path.join(dir, 'target');
  mkdirSync(path.join(target, 'content', 'notebooks'), { recursive: true });
  writeFileSync(path.join(target, 'lab.config.yaml'), 'name: Import bench\n');
  const imported = await runNode([lab, 'import', path.join(dir, 'big.eln')], target);
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GB`;
  const row = (name: string, r: Run) =>
    `${name.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.maxRssMb.toFixed(0).padStart(5)} MB peak RSS  ${(bytes / 1024 ** 2 / r.seconds).toFixed(0).padStart(4)} MB/s`;
  console.log(`\nblobs: ${gb(bytes)} in ${Number(values.entries) * 2} files; .eln: ${gb(size)}`);
  console.log(row('baseline: stream-copy the blobs', baseline));
  console.log(row('lab export notebook --format eln', exported));
  console.log(row('lab import (the .eln back)', imported));
  console.log(
    `\nexport / baseline: ${(exported.seconds / baseline.seconds).toFixed(2)}× time, ${(exported.maxRssMb / baseline.maxRssMb).toFixed(2)}× peak RSS`,
  );
  console.log(`import / baseline: ${(imported.seconds / baseline.seconds).toFixed(2)}× time, ${(imported.maxRssMb / baseline.maxRssMb).toFixed(2)}× peak RSS`);
} finally {
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
