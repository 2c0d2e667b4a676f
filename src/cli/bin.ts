#!/usr/bin/env node
/**
 * The `lab` executable. Checks the Node version before anything else is loaded (a newer API in a
 * static import would fail with a cryptic error first), then runs the CLI.
 */
import module from 'node:module';

/**
 * The oldest Node the tool runs on, found by running the smoke test (scripts/smoke.sh) on each
 * release: `zlib.zstd*` arrived in 22.15, `StatementSync#setReturnArrays` in 22.16, and before
 * 22.20 `columns()` of such a statement fails with "column index out of range".
 */
const MINIMUM = [22, 20] as const;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  console.error(`lab needs Node.js ${MINIMUM.join('.')} or newer; this is ${process.version}.`);
  process.exit(2);
}
// The compile cache keeps start-up cheap for short commands like `lab run`.
module.enableCompileCache?.();
const { main } = await import('./index.ts');
process.exitCode = await main(process.argv.slice(2));
