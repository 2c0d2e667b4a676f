#!/usr/bin/env node
// Thin launcher. Node >= 22.18 runs the TypeScript sources directly (type stripping);
// on 22.12–22.17 the flag is needed, so we re-exec once with it.
import module from 'node:module';
import { spawnSync } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`lab needs Node.js 22.12 or newer (this is ${process.version}); see the README's "Set up".`);
  process.exit(2);
}
if (!process.features.typescript) {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', ...process.execArgv, import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// The compile cache keeps start-up cheap for short commands like `lab run`.
module.enableCompileCache?.();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
