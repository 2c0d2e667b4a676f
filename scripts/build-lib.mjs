#!/usr/bin/env node
/**
 * Builds the package's `lib/`: tsc compiles src/**\/*.ts to JavaScript with .d.ts files (relative
 * `.ts` imports rewritten to `.js`), then the files tsc does not handle are copied beside them —
 * Astro templates (their relative `.ts` imports rewritten the same way), CSS, the Jupyter helper,
 * the lab app of `lab serve` and hand-written .d.ts files. Plain JavaScript so it runs on every supported Node (npm runs it
 * as `prepare` when the package is installed from git).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const lib = path.join(root, 'lib');
// The lab app `lab serve` sends (src/serve/ui/) is browser JavaScript and HTML, copied as is.
const COPIED = /\.(astro|css|py)$|\.d\.ts$|^serve[\\/]ui[\\/][^\\/]+\.(js|html)$/;

rmSync(lib, { recursive: true, force: true });
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', process.stderr, process.stderr], cwd: root });
} catch {
  console.error('build-lib: tsc failed');
  process.exit(1);
}
let copied = 0;
for (const rel of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
  if (!COPIED.test(rel)) continue;
  const from = path.join(src, rel);
  const to = path.join(lib, rel);
  mkdirSync(path.dirname(to), { recursive: true });
  if (rel.endsWith('.astro'))
    writeFileSync(to, readFileSync(from, 'utf8').replace(/(from\s+|import\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2'));
  else copyFileSync(from, to);
  copied++;
}
console.error(`build-lib: compiled src/ into lib/ and copied ${copied} other files`);
