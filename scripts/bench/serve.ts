/**
 * `lab serve` run streaming: a `command` entry printing 20,000 lines one write at a time, run through the server with a
 * WebSocket client following it, against the same run through the SDK with no server (the baseline,
 * measured in the same run). Also the replay of the whole run to a client that connects after it
 * ended (what a reopened tab gets).
 *
 *   node scripts/bench/serve.ts [--lines 20000]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { executeEntry } from '../../src/runners/engine.ts';
import { startServer } from '../../src/serve/server.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const FILE = 'content/notebooks/training/2026-03-02-learning-rate/entries/001-baseline.md';

function follow(port: number, token: string, runId: string): Promise<{ events: number; lines: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let events = 0;
    let text = '';
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/runs/${runId}?since=0&token=${token}`);
    ws.on('message', (data) => {
      const e = JSON.parse(String(data));
      events++;
      if (e.type === 'log') text += e.text;
    });
    ws.on('close', () => resolve({ events, lines: text.split('\n').filter(Boolean).length, ms: performance.now() - t0 }));
    ws.on('error', reject);
  });
}

export async function benchServe(options: { lines?: number } = {}): Promise<string[]> {
  const lines = options.lines ?? 20_000;
  const root = mkdtempSync(path.join(tmpdir(), 'lab-bench-serve-'));
  try {
    cpSync(path.join(REPO, 'test', 'serve', 'fixtures', 'journal'), root, { recursive: true });
    const abs = path.join(root, FILE);
    const original = readFileSync(abs, 'utf8').replace(/ {2}command: '.*'\n/, `  command: 'seq 1 ${lines} | while read i; do echo "line $i"; done'\n`);
    writeFileSync(abs, original);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const baseline = async () => {
      const t0 = performance.now();
      const direct = await executeEntry(abs, { root, force: true });
      if (direct.outcome !== 'completed') throw new Error(`baseline run: ${direct.outcome} ${direct.message ?? ''}`);
      return performance.now() - t0;
    };

    const server = await startServer({ root, port: 0, site: false });
    try {
      const headers = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
      const served = async () => {
        const t1 = performance.now();
        const res = await fetch(`${server.origin}api/entries/entry-lr-baseline/execute`, { method: 'POST', headers, body: '{"force":true}' });
        const { run_id: runId } = (await res.json()) as { run_id: string };
        const live = await follow(server.port, server.token, runId);
        const ms = performance.now() - t1;
        const replay = await follow(server.port, server.token, runId);
        if (live.lines !== lines || replay.lines !== lines) throw new Error(`lines: live ${live.lines}, replay ${replay.lines}, expected ${lines}`);
        return { ms, events: live.events, replayMs: replay.ms };
      };
      await baseline(); // warm-up: module loading, file cache
      await served();
      const base: number[] = [];
      const runs: Awaited<ReturnType<typeof served>>[] = [];
      for (let i = 0; i < 3; i++) {
        base.push(await baseline());
        runs.push(await served());
      }
      const baseMs = median(base);
      const liveMs = median(runs.map((r) => r.ms));
      const replayMs = median(runs.map((r) => r.replayMs));
      return [
        `serve: a ${lines.toLocaleString('en')}-line command run (medians of 3, after a warm-up)`,
        `  SDK, no server (baseline)      ${baseMs!.toFixed(0)} ms`,
        `  lab serve + a WebSocket client ${liveMs!.toFixed(0)} ms   ratio ${(liveMs! / baseMs!).toFixed(2)}   ${median(runs.map((r) => r.events))} events`,
        `  replay to a late client        ${replayMs!.toFixed(0)} ms for all ${lines.toLocaleString('en')} lines`,
      ];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const at = process.argv.indexOf('--lines');
  for (const line of await benchServe({ lines: at > 0 ? Number(process.argv[at + 1]) : undefined })) console.log(line);
}
