/**
 * Runner overhead: `lab run` of a `command` entry whose command is `true`,
 * against spawning `node -e 0` in the same run (the floor any Node CLI pays).
 * Prints medians and the ratio; the target is ≤ 3×.
 *
 *   node scripts/bench/runner.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');

export async function benchRunner(options: { runs?: number } = {}): Promise<{ lines: string[]; ratio: number; labMs: number; nodeMs: number }> {
  const runs = options.runs ?? 15;
  const root = mkdtempSync(path.join(tmpdir(), 'lab-bench-runner-'));
  try {
    const entries = path.join(root, 'content', 'notebooks', 'bench', 'overhead', 'entries');
    mkdirSync(entries, { recursive: true });
    writeFileSync(path.join(root, 'lab.config.yaml'), 'name: bench\n');
    writeFileSync(path.join(root, 'content', 'notebooks', 'bench', 'README.md'), '---\ntitle: Bench\n---\n');
    writeFileSync(path.join(root, 'content', 'notebooks', 'bench', 'overhead', 'README.md'), '---\ntitle: Overhead\n---\n');
    const entry = path.join(entries, '001-true.md');
    writeFileSync(entry, "---\nid: bench-true\ntitle: Runner overhead\ntype: command\ninputs:\n  command: ['true']\n---\n");
    const env = { ...process.env, CI: '1' };
    const cpu = { lab: 0, node: 0 };
    const time = (argv: string[], account?: 'lab' | 'node') => {
      const cpu0 = childrenCpuMs();
      const t0 = performance.now();
      const r = spawnSync(process.execPath, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
      if (account) cpu[account] += childrenCpuMs() - cpu0;
      return ms;
    };
    const lab = [path.join(REPO, 'lib', 'cli', 'bin.js'), 'run', entry, '--force'];
    const node = ['-e', '0'];
    const measure = () => {
      for (let i = 0; i < 3; i++) {
        time(lab); // warm the compile cache and the OS file cache
        time(node);
      }
      const labTimes: number[] = [];
      const nodeTimes: number[] = [];
      cpu.lab = cpu.node = 0;
      for (let i = 0; i < runs; i++) {
        nodeTimes.push(time(node, 'node'));
        labTimes.push(time(lab, 'lab'));
      }
      return { labMs: median(labTimes), nodeMs: median(nodeTimes), labCpuMs: cpu.lab / runs, nodeCpuMs: cpu.node / runs };
    };
    const plain = measure();
    // The same inside a committed git repository: provenance adds the commit and a dirty check.
    const { default: git } = await import('isomorphic-git');
    const fs = await import('node:fs');
    await git.init({ fs, dir: root, defaultBranch: 'main' });
    for (const f of ['lab.config.yaml', path.relative(root, entry)]) await git.add({ fs, dir: root, filepath: f });
    await git.commit({ fs, dir: root, message: 'bench', author: { name: 'bench', email: 'bench@example.com' } });
    const inRepo = measure();
    const ratio = plain.labMs / plain.nodeMs;
    const line = (label: string, m: { labMs: number; nodeMs: number; labCpuMs: number; nodeCpuMs: number }) =>
      `runner overhead ${label} (median of ${runs}): lab run (command: true) ${m.labMs.toFixed(1)} ms vs node -e 0 ${m.nodeMs.toFixed(1)} ms = ${(m.labMs / m.nodeMs).toFixed(2)}× (target ≤ 3×)` +
      (Number.isNaN(m.labCpuMs)
        ? ''
        : `; CPU time (user+sys, mean) ${m.labCpuMs.toFixed(0)} ms vs ${m.nodeCpuMs.toFixed(0)} ms = ${(m.labCpuMs / m.nodeCpuMs).toFixed(2)}×`);
    return {
      labMs: plain.labMs,
      nodeMs: plain.nodeMs,
      ratio,
      lines: [line('outside a repository', plain), line('in a git repository', inRepo)],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * CPU time (user + system) of this process's finished children, from /proc (Linux; NaN
 * elsewhere). Unlike wall time it barely moves when other work shares the machine.
 */
export function childrenCpuMs(): number {
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100 Hz).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

if (import.meta.main) {
  const i = process.argv.indexOf('--runs');
  const { lines } = await benchRunner({ runs: i > 0 ? Number(process.argv[i + 1]) : undefined });
  for (const line of lines) console.log(line);
}
