/**
 * `npm run bench`: every benchmark, each printing its baseline measured in the
 * same run and the ratio. Parts: compile (core), runner overhead (runners),
 * history extraction (git), run streaming through `lab serve` (serve). `npm run bench -- compile` runs one part.
 */
const PARTS: Record<string, () => Promise<string[]>> = {
  compile: async () => (await import('./bench/compile.ts')).benchCompile(),
  runner: async () => toLines(await (await import('./bench/runner.ts')).benchRunner()),
  history: async () => toLines(await (await import('./bench/history.ts')).benchHistory()),
  serve: async () => (await import('./bench/serve.ts')).benchServe(),
};

function toLines(r: unknown): string[] {
  if (Array.isArray(r)) return r.map(String);
  if (r && typeof r === 'object' && Array.isArray((r as { lines?: unknown }).lines)) return (r as { lines: string[] }).lines;
  return [String(r)];
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(PARTS)) {
  if (!PARTS[name]) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  for (const line of await PARTS[name]()) console.log(line);
  console.log('');
}
