/**
 * One benchmark phase in a fresh process; prints `{ms, rssMB}` as its last line.
 * The module compile cache is on, as the `lab` launcher (src/cli/bin.ts) turns it on for every command.
 */

import { readFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import fg from 'fast-glob';
import { parse } from 'yaml';
import { compile as compileStructure } from '../../src/core/compile.ts';
import { findFrontmatter } from '../../src/core/source/frontmatter.ts';
import { compile } from '../../src/sdk/journal.ts';
import { retitleEntry, touchEntry } from './compile.ts';

module.enableCompileCache?.();
const [name, dir] = process.argv.slice(2);
const rss = () => process.resourceUsage().maxRSS / 1024;
let ms = 0;
const timed = async (fn: () => unknown) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

if (name === 'floor') {
  ms = await timed(() => {
    for (const rel of fg.sync('content/**/*.md', { cwd: dir })) {
      const text = readFileSync(path.join(dir!, rel), 'utf8');
      const fm = findFrontmatter(text);
      if (fm) parse(text.slice(fm.yamlStart, fm.yamlEnd));
    }
  });
} else if (name === 'cold-structure') {
  // The compiler alone: no entry types, so no input checks (what the checks cost is the difference).
  ms = await timed(() => compileStructure(dir!));
} else if (name === 'cold') {
  ms = await timed(() => compile(dir!));
} else if (name === 'warm') {
  // As a dev server does: compile at start, then again on each change.
  await compile(dir!);
  touchEntry(dir!);
  await compile(dir!);
  const noChangeMs = await timed(() => compile(dir!));
  touchEntry(dir!);
  const oneEditMs = await timed(() => compile(dir!));
  retitleEntry(dir!);
  const titleMs = await timed(() => compile(dir!));
  console.log(JSON.stringify({ ms: 0, rssMB: rss(), noChangeMs, oneEditMs, titleMs }));
  process.exit(0);
}
console.log(JSON.stringify({ ms, rssMB: rss() }));
