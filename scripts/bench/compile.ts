/**
 * Compiler benchmark: a synthetic 10,000-entry journal, measured against the
 * floor (fast-glob + YAML parse of the same files, nothing else) in the same run.
 * Each phase runs in a fresh process (as a user runs `lab compile`) and reports
 * its own time and peak RSS; the in-process (watch-mode) rebuilds are measured too.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateJournal } from '../generate-journal.ts';

const REPO = path.resolve(import.meta.dirname, '../..');

interface Phase {
  ms: number;
  rssMB: number;
}

/** Runs one phase in a child process: `node scripts/bench/compile-phase.ts <phase> <dir>`. */
function phase(name: string, dir: string): Phase {
  const out = execFileSync(process.execPath, [path.join(import.meta.dirname, 'compile-phase.ts'), name, dir], { encoding: 'utf8', cwd: REPO });
  return JSON.parse(out.trim().split('\n').pop()!) as Phase;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchCompile(options: { entries?: number; runs?: number } = {}): Promise<string[]> {
  const entries = options.entries ?? Number(process.env.BENCH_ENTRIES ?? 10000);
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
  try {
    const g = await generateJournal(dir, { entries, pages: Math.max(1, Math.round(entries / 100)), notebooks: 10 });
    const floor: Phase[] = [];
    const cold: Phase[] = [];
    const coldStructure: Phase[] = [];
    const noChange: Phase[] = [];
    const oneEdit: Phase[] = [];
    const oneTitle: Phase[] = [];
    const cli: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(phase('floor', dir));
      rmSync(path.join(dir, '.lab'), { recursive: true, force: true });
      coldStructure.push(phase('cold-structure', dir));
      rmSync(path.join(dir, '.lab'), { recursive: true, force: true });
      cold.push(phase('cold', dir));
      noChange.push(phase('no-change', dir));
      oneEdit.push(phase('one-edit', dir));
      oneTitle.push(phase('one-title', dir));
      // The whole command as a user types it, against bare Node start-up.
      bare.push(wall(() => execFileSync(process.execPath, ['-e', '0'])));
      touchEntry(dir);
      cli.push(wall(() => execFileSync(process.execPath, [path.join(REPO, 'lib/cli/bin.js'), '-C', dir, 'compile'], { stdio: 'ignore' })));
    }
    const warm = phase('warm', dir) as Phase & { noChangeMs: number; oneEditMs: number };
    const m = (xs: Phase[]) => median(xs.map((p) => p.ms));
    const peak = Math.max(...[...cold, ...noChange, ...oneEdit].map((p) => p.rssMB), warm.rssMB);
    const f = m(floor);
    const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    return [
      `compile benchmark: ${g.entries} entries in ${Math.round(entries / 100)} pages across 10 notebooks (median of ${runs} runs, each in a fresh process)`,
      `  floor (fast-glob + yaml parse)     ${fmt(f)}`,
      `  cold compile                       ${fmt(m(cold))}   ${(m(cold) / f).toFixed(2)}× floor   (target ≤ 2×)`,
      `  cold, without input checks         ${fmt(m(coldStructure))}   cold compile is ${(m(cold) / m(coldStructure)).toFixed(2)}× this (the integrations' schemas and static checks)`,
      `  no-change rebuild                  ${fmt(m(noChange))}   (target ≤ 0.2 s)`,
      `  rebuild after one edit             ${fmt(m(oneEdit))}   (target ≤ 0.3 s; an entry's notes: its index line is replaced)`,
      `  rebuild after a title edit         ${fmt(m(oneTitle))}   (the journal is linked and derived again)`,
      `  \`lab compile\` after one edit       ${fmt(median(cli))}   whole command; Node start-up alone ${fmt(median(bare))}`,
      `  in-process (watch mode) no-change  ${fmt(warm.noChangeMs)}`,
      `  in-process (watch mode) one edit   ${fmt(warm.oneEditMs)}`,
      `  peak RSS                           ${peak.toFixed(0)} MB`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wall(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Changes an entry's title: a summary changes, so the rebuild links and derives the whole journal. */
export function retitleEntry(dir: string): void {
  const file = path.join(dir, 'content/notebooks/notebook-004/page-0004/entries/001-entry-0.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: "Retitled ${process.hrtime.bigint()}"`));
}

export function touchEntry(dir: string): void {
  appendFileSync(path.join(dir, 'content/notebooks/notebook-003/page-0003/entries/001-entry-0.md'), `\nEdited at ${process.hrtime.bigint()}.\n`);
}

if (import.meta.main) for (const line of await benchCompile()) console.log(line);
