/**
 * Benchmark: entry history for a generated repository of 1,000 entries and
 * 1,000 commits, next to `git log --name-only` on the same repository in the
 * same run (the baseline). Cold (no cache), warm (cache, nothing new) and after
 * one new commit.
 *
 *   node scripts/bench/history.ts [--entries 1000] [--commits 1000] [--keep]
 *
 * The repository is generated with `git fast-import` (the git binary is needed
 * for the generation and the baseline only; the measured code uses isomorphic-git).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeHistory, writeHistoryIndex } from '../../src/git/history.ts';
import { prng } from '../prng.ts';

export interface HistoryBenchOptions {
  entries?: number;
  commits?: number;
  /** Keep the generated repository (its path is printed). */
  keep?: boolean;
}

interface GenEntry {
  id: string;
  path: string;
  cfg: number;
  seed: number;
  steps: number;
  aesthetic: number;
  runs: number;
  parent: string | null;
}

/** An entry as people and the runner write it: flow-style parameters (hand-written), block-style run results. */
function entryText(e: GenEntry, day: number): string {
  const started = new Date(Date.UTC(2024, 0, 1) + day * 3600_000).toISOString().replace('.000Z', 'Z');
  const lines = [
    '---',
    `id: ${e.id}`,
    `title: Sunset cfg ${e.cfg} seed ${e.seed}`,
    'type: comfyui',
    'created: 2024-01-01T00:00:00Z',
    'tags: [sunset, sdxl]',
    ...(e.parent ? [`variation_of: ${e.parent}`] : []),
    'inputs:',
    '  workflow: ./workflow.json',
    `  parameters: { prompt: "a serene lake at sunset", seed: ${e.seed}, cfg: ${e.cfg}, sampler: { name: euler, steps: ${e.steps} } }`,
    `status: ${e.runs ? 'completed' : 'created'}`,
    ...(e.runs
      ? [
          'execution:',
          `  started_at: ${started}`,
          `  duration_seconds: ${(8 + (e.seed % 7)).toFixed(1)}`,
          '  runner:',
          '    name: comfyui',
          '    version: "1.0"',
          'metrics:',
          `  aesthetic: ${e.aesthetic.toFixed(2)}`,
          `  compute_seconds: ${(8 + (e.seed % 7)).toFixed(1)}`,
        ]
      : []),
    '---',
    '',
    `Run ${e.runs}: notes about the sunset, the horizon and the reflections on the water.`,
    '',
  ];
  return lines.join('\n');
}

/** Writes the repository with `git fast-import`; returns the number of commits. */
function generateRepo(dir: string, nEntries: number, nCommits: number): number {
  const rand = prng(7);
  const notebooks = ['ai-art', 'queries'];
  const pages = notebooks.flatMap((nb) => Array.from({ length: 5 }, (_, i) => `content/notebooks/${nb}/${nb}-session-${i + 1}`));
  const out: string[] = [];
  const file = (p: string, text: string) => {
    out.push(`M 100644 inline ${p}`, `data ${Buffer.byteLength(text)}`, text);
  };
  let commit = 0;
  const start = (msg: string) => {
    commit++;
    const t = 1_704_067_200 + commit * 600;
    out.push(
      'commit refs/heads/main',
      `mark :${commit}`,
      `author Ada Lovelace <ada@example.org> ${t} +0000`,
      `committer Ada Lovelace <ada@example.org> ${t} +0000`,
      `data ${Buffer.byteLength(msg)}`,
      msg,
    );
    if (commit > 1) out.push(`from :${commit - 1}`);
  };
  const entries: GenEntry[] = [];
  const addEntry = (page: string) => {
    const n = entries.length + 1;
    const parent = entries.length && rand() < 0.3 ? entries[Math.floor(rand() * entries.length)]!.id : null;
    const e: GenEntry = {
      id: `entry-${n.toString(16).padStart(8, '0')}`,
      path: `${page}/entries/${String(n).padStart(4, '0')}-sunset.md`,
      cfg: 5 + Math.floor(rand() * 8),
      seed: Math.floor(rand() * 1000),
      steps: 20,
      aesthetic: 5 + rand() * 3,
      runs: 0,
      parent,
    };
    entries.push(e);
    file(e.path, entryText(e, commit));
  };

  // Commit 1: notebooks, pages, input files and a first tenth of the entries.
  start('Start the journal');
  for (const nb of notebooks) file(`content/notebooks/${nb}/README.md`, `---\ntitle: ${nb}\nsettings: { metrics: { aesthetic: higher } }\n---\n\nOverview.\n`);
  for (const p of pages) {
    file(`${p}/README.md`, `---\ntitle: ${path.basename(p)}\ndate: 2024-01-01\n---\n\n## Goals\n\nFind a good cfg.\n`);
    file(`${p}/entries/workflow.json`, '{"3": {"class_type": "KSampler", "inputs": {"seed": 1}}}\n');
  }
  const firstBatch = Math.floor(nEntries / 10);
  for (let i = 0; i < firstBatch; i++) addEntry(pages[i % pages.length]!);
  // Then: add entries until there are nEntries, interleaved with re-runs,
  // parameter changes, renames and narrative edits.
  const remaining = nCommits - 1;
  const addsPerCommit = (nEntries - firstBatch) / remaining;
  let owed = 0;
  for (let c = 0; c < remaining; c++) {
    start(`Experiment step ${c + 1}`);
    owed += addsPerCommit;
    while (owed >= 1 && entries.length < nEntries) {
      addEntry(pages[Math.floor(rand() * pages.length)]!);
      owed--;
    }
    const edits = 1 + Math.floor(rand() * 2);
    for (let k = 0; k < edits; k++) {
      const e = entries[Math.floor(rand() * entries.length)]!;
      if (rand() < 0.5) e.cfg += 0.5;
      e.runs++;
      e.aesthetic += rand() - 0.45;
      if (rand() < 0.04) {
        const to = e.path.replace(/-sunset\.md$/, '-sunset-v2.md');
        if (to !== e.path) {
          out.push(`D ${e.path}`);
          e.path = to;
        }
      }
      file(e.path, entryText(e, commit));
    }
    if (rand() < 0.1) {
      const p = pages[Math.floor(rand() * pages.length)]!;
      file(
        `${p}/README.md`,
        `---\ntitle: ${path.basename(p)}\ndate: 2024-01-01\n---\n\n## Goals\n\nFind a good cfg.\n\n## Observations\n\nStep ${c}: higher cfg is crisper.\n`,
      );
    }
  }
  out.push('');
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: out.join('\n'), maxBuffer: 1 << 30 });
  execFileSync('git', ['-C', dir, 'reset', '-q', '--hard', 'main']);
  return commit;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** Runs the benchmark; returns printable lines. */
export async function benchHistory(options: HistoryBenchOptions = {}): Promise<string[]> {
  const nEntries = options.entries ?? 1000;
  const nCommits = options.commits ?? 1000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-history-'));
  try {
    const [commits, genMs] = time(() => generateRepo(dir, nEntries, nCommits));
    // Baseline for "which commits touched which file": git log with file names, every commit.
    // Both sides are timed best of N on the same repository, so a busy machine skews them alike.
    let gitMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const [gitLog, ms] = time(() => spawnSync('git', ['-C', dir, 'log', '--name-only', '--format=%H %an %ad %s'], { maxBuffer: 1 << 30 }));
      if (gitLog.status !== 0) throw new Error(`git log --name-only exited ${gitLog.status}: ${gitLog.stderr}`);
      gitMs = Math.min(gitMs, ms);
    }
    let coldMs = Infinity;
    let cold!: Awaited<ReturnType<typeof computeHistory>>;
    for (let i = 0; i < 2; i++) {
      rmSync(path.join(dir, '.lab'), { recursive: true, force: true });
      const [result, ms] = await timeAsync(() => computeHistory(dir));
      if (ms < coldMs) [cold, coldMs] = [result, ms];
    }
    const [, writeMs] = await timeAsync(() => writeHistoryIndex(dir));
    const [warm, warmMs] = await timeAsync(() => computeHistory(dir));
    // One more commit: re-run one entry.
    const first = Object.keys(cold.history.entries).sort()[0];
    const entryPath = execFileSync('git', ['-C', dir, 'ls-files'], { encoding: 'utf8' })
      .split('\n')
      .find((p) => p.endsWith('.md') && readFileSync(path.join(dir, p), 'utf8').includes(`id: ${first}\n`))!;
    writeFileSync(
      path.join(dir, entryPath),
      readFileSync(path.join(dir, entryPath), 'utf8').replace(/seed: (\d+)/, (_, s) => `seed: ${Number(s) + 1}`),
    );
    execFileSync('git', ['-C', dir, 'commit', '-q', '-am', 'One more run', '--author', 'Bench <bench@example.org>'], {
      env: { ...process.env, GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.org' },
    });
    const [inc, incMs] = await timeAsync(() => computeHistory(dir));
    const entryCount = Object.keys(cold.history.entries).length;
    const items = Object.values(cold.history.entries).reduce((n, list) => n + list.length, 0);
    const ratio = coldMs / gitMs;
    const target = coldMs <= 5000 && ratio <= 20 ? 'meets target (≤ 5 s, ≤ 20× git)' : 'MISSES target (≤ 5 s, ≤ 20× git)';
    return [
      `history: ${entryCount} entries, ${commits} commits (${cold.stats.commits} walked), ${items} entry-history items; repo generated in ${fmt(genMs)}`,
      `  git log --name-only (baseline)     ${fmt(gitMs)}  (best of 3)`,
      `  lab history, cold (no cache)       ${fmt(coldMs)}  (best of 2) = ${ratio.toFixed(1)}× git log — ${target}`,
      `  writeHistoryIndex, warm cache      ${fmt(writeMs)}`,
      `  lab history, warm (nothing new)    ${fmt(warmMs)}  (${warm.stats.computed} commits read)  = ${(warmMs / gitMs).toFixed(1)}× git log`,
      `  lab history, after 1 new commit    ${fmt(incMs)}  (${inc.stats.computed} commit read)  = ${(incMs / gitMs).toFixed(1)}× git log`,
      ...(options.keep ? [`  repository kept at ${dir}`] : []),
    ];
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { entries: { type: 'string' }, commits: { type: 'string' }, keep: { type: 'boolean' } } });
  const lines = await benchHistory({
    entries: values.entries ? Number(values.entries) : undefined,
    commits: values.commits ? Number(values.commits) : undefined,
    keep: values.keep,
  });
  console.log(lines.join('\n'));
}
