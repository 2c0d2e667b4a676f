/**
 * Import speed, measured against a baseline in the same run: N synthetic rollouts in a
 * temp CODEX_HOME (the shape of real ones: meta, prompts, shell calls with output, patches,
 * token counts, encrypted reasoning). Baseline = reading the files and JSON.parse of every
 * line, the floor any importer pays. Also the unchanged re-import, and the other-repo skip.
 *
 *   node scripts/bench/import.ts [sessions=200] [turns=40]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importSessions } from '../../src/lab/import.ts';

const sessions = Number(process.argv[2] ?? 200);
const turns = Number(process.argv[3] ?? 40);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
const ws = path.join(tmp, 'ws');
const home = path.join(tmp, 'codex');
const day = path.join(home, 'sessions/2026/11/20');
mkdirSync(ws, { recursive: true });
mkdirSync(day, { recursive: true });
writeFileSync(path.join(ws, 'lab.config.yaml'), 'name: bench\n');

const L = (ts: string, type: string, payload: unknown) => JSON.stringify({ timestamp: ts, type, payload });
let bytes = 0;
for (let s = 0; s < sessions; s++) {
  const id = `019ab${String(s).padStart(3, '0')}-0000-7000-8000-${String(s).padStart(12, '0')}`;
  const cwd = s % 10 === 9 ? '/elsewhere/other-repo' : ws; // every tenth session belongs to another repo
  const t = (i: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, 0) + s * 3_600_000 + i * 1000).toISOString();
  const out = [L(t(0), 'session_meta', { id, timestamp: t(0), cwd, cli_version: '0.84.0', base_instructions: { text: 'x'.repeat(20_000) } })];
  for (let i = 1; i <= turns; i++) {
    out.push(L(t(i), 'event_msg', { type: 'user_message', message: `Step ${i}: change module ${i}` }));
    out.push(L(t(i), 'response_item', { type: 'reasoning', summary: [], encrypted_content: 'gAAAA'.repeat(300) }));
    out.push(
      L(t(i), 'response_item', { type: 'function_call', name: 'shell_command', arguments: JSON.stringify({ command: `npm test -- m${i}` }), call_id: `c${i}` }),
    );
    out.push(
      L(t(i), 'response_item', {
        type: 'function_call_output',
        call_id: `c${i}`,
        output: `Exit code: ${i % 7 === 0 ? 1 : 0}\nWall time: 1.2 seconds\nOutput:\n${'ok line\n'.repeat(80)}`,
      }),
    );
    out.push(
      L(t(i), 'response_item', {
        type: 'custom_tool_call',
        name: 'apply_patch',
        call_id: `p${i}`,
        input: `*** Begin Patch\n*** Update File: src/m${i}.ts\n@@\n-a\n+b\n*** End Patch\n`,
      }),
    );
    out.push(L(t(i), 'event_msg', { type: 'patch_apply_end', call_id: `p${i}`, success: true }));
    out.push(L(t(i), 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: i * 1000 } } }));
    out.push(L(t(i), 'event_msg', { type: 'agent_message', message: `Updated src/m${i}.ts; tests pass.` }));
    out.push(L(t(i), 'response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Updated src/m${i}.ts; tests pass.` }] }));
  }
  const text = out.join('\n') + '\n';
  bytes += text.length;
  writeFileSync(path.join(day, `rollout-2026-11-20T09-00-00-${id}.jsonl`), text);
}

const files = readdirSync(day).map((n) => path.join(day, n));
const time = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const baseline = await time(() => {
  for (const f of files) for (const line of readFileSync(f, 'utf8').split('\n')) if (line) JSON.parse(line);
});
const opts = { root: ws, paths: [], codexHome: home, repo: null, since: null, capture: 'commands' as const, cwd: ws };
let imported = 0;
const first = await time(async () => (imported = (await importSessions(opts)).sessions.length));
const again = await time(() => importSessions(opts));
const mb = bytes / 1e6;
console.log(`${sessions} rollouts, ${mb.toFixed(1)} MB, ${imported} in this repo`);
console.log(`baseline (read + JSON.parse every line): ${baseline.toFixed(0)} ms`);
console.log(
  `import (parse, filter, write records):    ${first.toFixed(0)} ms  = ${(first / baseline).toFixed(2)}× baseline, ${(mb / (first / 1000)).toFixed(0)} MB/s`,
);
console.log(`re-import, nothing changed:              ${again.toFixed(0)} ms  = ${(again / baseline).toFixed(2)}× baseline`);
rmSync(tmp, { recursive: true, force: true });
