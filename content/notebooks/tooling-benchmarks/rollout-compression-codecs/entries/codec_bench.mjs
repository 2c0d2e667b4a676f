#!/usr/bin/env node
// Compression benchmark for Codex rollout files (JSONL), node:zlib only.
//
//   CODEC=gzip|brotli|zstd  LEVEL=<n>  SAMPLE_MB=4  REPEAT=5  node codec_bench.mjs
//
// The sample is a synthetic rollout generated from a fixed seed, with the same
// mix as real ones: session events, shell calls and their (repetitive) output,
// token counts, and reasoning items whose `encrypted_content` is random base64 —
// incompressible, like the real thing. Reports the median of REPEAT timings and
// writes metrics JSON to $LAB_METRICS_FILE. Exits 1 if a round trip differs.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';

const codec = process.env.CODEC ?? 'gzip';
const level = Number(process.env.LEVEL ?? 6);
const sampleMb = Number(process.env.SAMPLE_MB ?? 4);
const repeat = Number(process.env.REPEAT ?? 5);

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleRollout(bytes) {
  const rand = prng(0x5eed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const words = ['the', 'entry', 'runner', 'frontmatter', 'yaml', 'schema', 'test', 'fails', 'because', 'index', 'lineage',
    'compile', 'blob', 'hash', 'file', 'write', 'atomic', 'parse', 'error', 'line', 'column', 'fix', 'check', 'page', 'notebook'];
  const files = ['src/core/compile.ts', 'src/runners/engine.ts', 'src/core/schema/entry.ts', 'test/core/compile.test.ts', 'README.md'];
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sentence = (n) => Array.from({ length: n }, () => pick(words)).join(' ');
  const lines = [];
  let size = 0;
  let t = Date.UTC(2026, 10, 9, 8, 0, 0);
  let tokens = 0;
  while (size < bytes) {
    t += Math.floor(rand() * 4000);
    const ts = new Date(t).toISOString();
    const r = rand();
    let payload;
    if (r < 0.15) payload = { type: 'reasoning', summary: [], content: null, encrypted_content: 'gAAAAA' + Array.from({ length: 600 + Math.floor(rand() * 2400) }, () => pick(b64)).join('') };
    else if (r < 0.4) payload = { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', pick([`sed -n 1,120p ${pick(files)}`, `npx vitest run ${pick(files)}`, `rg -n "${pick(words)}" src`, 'git status --short'])], workdir: '/work/main' }), call_id: `call_${Math.floor(rand() * 1e12).toString(36)}` };
    else if (r < 0.7) payload = { type: 'function_call_output', call_id: `call_${Math.floor(rand() * 1e12).toString(36)}`, output: JSON.stringify({ output: Array.from({ length: 5 + Math.floor(rand() * 60) }, (_, i) => `${pick(files)}:${i + 1}: ${sentence(6 + Math.floor(rand() * 10))}`).join('\n'), metadata: { exit_code: rand() < 0.85 ? 0 : 1, duration_seconds: Math.round(rand() * 300) / 100 } }) };
    else if (r < 0.85) payload = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: sentence(20 + Math.floor(rand() * 120)) }] };
    else payload = { type: 'token_count', info: { total_token_usage: { input_tokens: (tokens += Math.floor(rand() * 9000)), cached_input_tokens: Math.floor(tokens * 0.8), output_tokens: Math.floor(tokens / 40) } } };
    const line = JSON.stringify({ timestamp: ts, type: payload.type === 'token_count' ? 'event_msg' : 'response_item', payload });
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const codecs = {
  gzip: {
    compress: (b) => zlib.gzipSync(b, { level }),
    decompress: (b) => zlib.gunzipSync(b),
  },
  brotli: {
    compress: (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
    decompress: (b) => zlib.brotliDecompressSync(b),
  },
  zstd: {
    compress: (b) => zlib.zstdCompressSync(b, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } }),
    decompress: (b) => zlib.zstdDecompressSync(b),
  },
};

const impl = codecs[codec];
if (!impl) {
  console.error(`unknown CODEC=${codec}; use one of ${Object.keys(codecs).join(', ')}`);
  process.exit(2);
}
if (codec === 'zstd' && typeof zlib.zstdCompressSync !== 'function') {
  console.error(`zstd needs Node >= 22.15 (this is ${process.version})`);
  process.exit(2);
}

const input = sampleRollout(sampleMb * 1024 * 1024);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cTimes = [];
const dTimes = [];
let packed;
for (let i = 0; i < repeat; i++) {
  let t0 = performance.now();
  packed = impl.compress(input);
  cTimes.push(performance.now() - t0);
  t0 = performance.now();
  const back = impl.decompress(packed);
  dTimes.push(performance.now() - t0);
  if (!back.equals(input)) {
    console.error(`round trip mismatch for ${codec} level ${level}`);
    process.exit(1);
  }
}
const mb = input.length / 1024 / 1024;
const metrics = {
  input_bytes: input.length,
  compressed_bytes: packed.length,
  ratio: Math.round((input.length / packed.length) * 1000) / 1000,
  compress_mb_s: Math.round((mb / (median(cTimes) / 1000)) * 10) / 10,
  decompress_mb_s: Math.round((mb / (median(dTimes) / 1000)) * 10) / 10,
};
console.log(`${codec} level ${level} on ${mb.toFixed(1)} MiB (${input.toString().split('\n').length - 1} events), median of ${repeat}, node ${process.version}`);
console.log(`  ratio ${metrics.ratio}×  (${metrics.compressed_bytes} bytes)`);
console.log(`  compress ${metrics.compress_mb_s} MiB/s, decompress ${metrics.decompress_mb_s} MiB/s`);
if (process.env.LAB_METRICS_FILE) writeFileSync(process.env.LAB_METRICS_FILE, JSON.stringify(metrics, null, 2) + '\n');
