/**
 * Memory of a whole process tree, as Linux reports it: every `intervalMs` the sampler walks the
 * children of `rootPid` (`/proc/<pid>/task/<tid>/children`, recursively) and reads each one's
 * `VmRSS` and `VmHWM` from `/proc/<pid>/status`. The build is several processes — node (with its
 * worker thread and sharp's threads), Pagefind's own binary, any tool they start — and the machine
 * must hold all of them at once, so the figure that matters is the peak of their sum.
 *
 * Caveats: a sum of RSS counts pages shared between processes (libraries) once per process, so it
 * errs high; a spike shorter than the interval can be missed by the sum, but not by a process's
 * own peak (`VmHWM` is the kernel's high-water mark, read until the process exits).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

interface ProcessPeak {
  pid: number;
  /** The name of the process's executable (`/proc/<pid>/exe`), e.g. `node`, `pagefind_extended`. */
  name: string;
  /** Its own peak resident memory (the last `VmHWM` seen), MB. */
  peakMb: number;
}

export interface TreeMemory {
  /** Highest sum of `VmRSS` over the tree in one sample, MB. */
  peakTotalMb: number;
  /** Every process seen, largest peak first. */
  processes: ProcessPeak[];
  samples: number;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    const text = read(`/proc/${pid}/task/${tid}/children`);
    if (text) for (const c of text.trim().split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/**
 * The executable's file name. Not the `Name:` in /proc/<pid>/status: a program may rename its
 * main thread (Node 24 calls its own `MainThread` soon after starting), and a process first seen
 * before or after that would be named differently.
 */
function executableName(pid: number): string | null {
  try {
    return path.basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return null;
  }
}

function statusKb(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/** Starts sampling `rootPid` and its descendants; `stop()` takes a last sample and returns the peaks. */
export function sampleProcessTree(rootPid: number, intervalMs = 100): { stop(): TreeMemory } {
  const seen = new Map<number, ProcessPeak>();
  let peakTotalKb = 0;
  let samples = 0;
  const sample = () => {
    samples++;
    let total = 0;
    const queue = [rootPid];
    const visited = new Set<number>();
    while (queue.length) {
      const pid = queue.pop()!;
      if (visited.has(pid)) continue;
      visited.add(pid);
      const status = read(`/proc/${pid}/status`);
      if (!status) continue;
      total += statusKb(status, 'VmRSS');
      const hwm = statusKb(status, 'VmHWM') / 1024;
      const known = seen.get(pid);
      if (known) known.peakMb = Math.max(known.peakMb, hwm);
      else seen.set(pid, { pid, name: executableName(pid) ?? /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?', peakMb: hwm });
      queue.push(...childrenOf(pid));
    }
    peakTotalKb = Math.max(peakTotalKb, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakTotalMb: peakTotalKb / 1024, processes: [...seen.values()].sort((a, b) => b.peakMb - a.peakMb), samples };
    },
  };
}

/** One line: the peak total and the processes that held more than `minMb` at their peak. */
export function describeTreeMemory(m: TreeMemory, minMb = 50): string {
  const big = m.processes.filter((p) => p.peakMb >= minMb).map((p) => `${p.name} ${p.peakMb.toFixed(0)} MB`);
  const small = m.processes.length - big.length;
  return `${(m.peakTotalMb / 1024).toFixed(2)} GB all processes (peaks: ${big.join(', ') || 'none'}${small ? `, ${small} smaller` : ''}; ${m.samples} samples)`;
}
