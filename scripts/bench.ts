/**
 * `npm run bench`: every benchmark, each printing its baseline measured in the
 * same run and the ratio. Parts: compile (core), runner overhead (runners),
 * history extraction (git), run streaming through `lab serve` (serve). `npm run bench -- compile` runs one part;
 * `--entries N` sets the compile benchmark's journal size (default 10,000), `--runs N` its repetitions.
 */
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { entries: { type: 'string' }, runs: { type: 'string' } }, allowPositionals: true });
const count = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number, not '${text}'`);
    process.exit(2);
  }
  return n;
};
const compileOptions = { entries: count('entries', values.entries), runs: count('runs', values.runs) };

const PARTS: Record<string, () => Promise<string[]>> = {
  compile: async () => (await import('./bench/compile.ts')).benchCompile(compileOptions),
  runner: async () => toLines(await (await import('./bench/runner.ts')).benchRunner()),
  history: async () => toLines(await (await import('./bench/history.ts')).benchHistory()),
  serve: async () => (await import('./bench/serve.ts')).benchServe(),
};

function toLines(r: unknown): string[] {
  if (Array.isArray(r)) return r.map(String);
  if (r && typeof r === 'object' && Array.isArray((r as { lines?: unknown }).lines)) return (r as { lines: string[] }).lines;
  return [String(r)];
}

const wanted = positionals;
for (const name of wanted.length ? wanted : Object.keys(PARTS)) {
  if (!PARTS[name]) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  for (const line of await PARTS[name]()) console.log(line);
  console.log('');
}
