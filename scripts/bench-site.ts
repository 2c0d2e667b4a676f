/**
 * `npm run bench:site`: the full `npm run build` of a synthetic journal against a minimal
 * Astro 7 build of the same Markdown files (one bare page per file, glob loader + render),
 * measured in the same run on the same machine. Prints both times, the ratio, pages/s and
 * peak memory — the sum over every process of the build (scripts/bench/process-tree-rss.ts) and
 * each process's own peak — and the built site's size against GitHub Pages' limits
 * (scripts/bench/hosting-limits.ts); then the incremental rebuilds: nothing changed (stopped by
 * the build stamp, src/site/build-stamp.ts, and once more forced through Astro), and one entry's
 * notes edited (src/site/cache-keys.ts), each as a share of the full build.
 *
 *   node scripts/bench-site.ts [--entries 10000] [--pages 100] [--notebooks 10] [--images 300] [--keep]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeHosting, measureSite } from './bench/hosting-limits.ts';
import { markBuildStart } from '../src/site/output-sweep.ts';
import { describeTreeMemory, sampleProcessTree, type TreeMemory } from './bench/process-tree-rss.ts';

const projectDir = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '10000' },
    pages: { type: 'string', default: '100' },
    notebooks: { type: 'string', default: '10' },
    images: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});

interface Run {
  seconds: number;
  maxRssMb: number;
  /** Every process of the run: the peak of their summed RSS, and each one's own peak. */
  tree: TreeMemory;
  stdout: string;
}

/** Runs a Node script as a child; its own peak RSS is reported through a preloaded exit hook. */
function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const rssFile = path.join(os.tmpdir(), `lab-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const hook = `data:text/javascript,${encodeURIComponent(
    `import{writeFileSync}from'node:fs';process.on('exit',()=>{try{writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS))}catch{}})`,
  )}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sampler = sampleProcessTree(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const tree = sampler.stop();
      let maxRssMb = 0;
      try {
        maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
        rmSync(rssFile);
      } catch {
        /* the hook did not run */
      }
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}\n${stderr.slice(-4000)}`));
      else resolve({ seconds, maxRssMb, tree, stdout });
    });
  });
}

/** A minimal Astro project that renders every Markdown file of the journal as a bare page. */
function writeBareProject(dir: string, journal: string, out: string): void {
  mkdirSync(path.join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(
    path.join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nexport default defineConfig({ output: 'static', outDir: ${JSON.stringify(out)}, devToolbar: { enabled: false } });\n`,
  );
  writeFileSync(
    path.join(dir, 'src', 'content.config.ts'),
    `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\n` +
      `export const collections = { docs: defineCollection({ loader: glob({ pattern: '**/*.md', base: ${JSON.stringify(path.join(journal, 'content', 'notebooks'))} }) }) };\n`,
  );
  writeFileSync(
    path.join(dir, 'src', 'pages', '[...slug].astro'),
    `---\nimport { getCollection, render } from 'astro:content';\n` +
      `export async function getStaticPaths() { return (await getCollection('docs')).map((entry) => ({ params: { slug: entry.id }, props: { entry } })); }\n` +
      `const { entry } = Astro.props;\nconst { Content } = await render(entry);\n---\n<html lang="en"><head><meta charset="utf-8" /><title>{entry.id}</title></head><body><Content /></body></html>\n`,
  );
}

function countHtml(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.html')) n++;
  return n;
}

/**
 * Pages Astro rendered and restored, from the output itself: `lab build` keeps `dist/`, where
 * Astro leaves a restored page untouched, so a page written since `since` was rendered. (Astro's
 * own per-page report needs its `info` log level, whose 10,000 lines would be timed too.)
 */
function renderedSince(out: string, since: number): { rendered: number; restored: number } {
  let rendered = 0;
  let restored = 0;
  for (const e of readdirSync(out, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !/\.(html|xml|csv)$/.test(e.name)) continue;
    const top = path.relative(out, e.parentPath).split(path.sep)[0];
    if (top === 'api' || top === 'pagefind' || top === 'blobs' || top === 'thumbs') continue;
    if (statSync(path.join(e.parentPath, e.name)).mtimeMs >= since) rendered++;
    else restored++;
  }
  return { rendered, restored };
}

/**
 * The incremental rebuilds, against the full build measured above: one with nothing changed, the
 * same forced through Astro, and one after editing one entry's notes (all keep `dist/` and
 * `.lab/astro-cache`, where Astro's incremental build keeps its manifest and a copy of every
 * page); the pages written since the rebuild started are the ones Astro rendered.
 */
async function rebuildPhases(full: Run, out: string): Promise<void> {
  const rebuild = async (label: string, flags: string[] = []) => {
    // The file system's clock, as the build's own sweep reads it.
    const since = markBuildStart(path.join(work, `.bench-clock-${process.pid}`));
    const run = await runNode([path.join(projectDir, 'src', 'cli', 'bin.ts'), '-C', journal, 'build', '--out', out, '--allow-errors', ...flags], projectDir);
    const upToDate = /nothing changed since the last build/.test(run.stdout);
    const { rendered, restored } = renderedSince(out, since);
    const made = /(\d+) thumbnails made/.exec(run.stdout)?.[1] ?? '?';
    const ratio = run.seconds / full.seconds;
    const stages = run.stdout
      .split('\n')
      .filter((l) => /^build: \w+ \d+ ms$/.test(l))
      .map((l) => l.replace(/^build: /, ''))
      .join(', ');
    console.log(
      `${label.padEnd(20)}${run.seconds.toFixed(1)} s = ${(ratio * 100).toFixed(1)} % of the full build (target ≤ 10 %)${ratio <= 0.1 ? '' : '  ← over target'}; ` +
        `${upToDate ? 'up to date, Astro not run' : `${rendered} rendered, ${restored} restored; ${made} thumbnails made`}; peak memory ${describeTreeMemory(run.tree)}`,
    );
    console.log(`  stages: ${stages}`);
  };
  await rebuild('no-change rebuild:');
  // The same through Astro's incremental build (every page restored): what a build costs when the
  // output folder is not the one the last build left (a CI runner without it in its cache).
  await rebuild('  forced through Astro:', ['--force']);
  const entries = path.join(journal, 'content', 'notebooks', 'notebook-000', 'page-0000', 'entries');
  const file = path.join(entries, readdirSync(entries).find((f) => f.endsWith('.md'))!);
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nOne more observation, added for the one-edit rebuild.\n`);
  await rebuild('one-edit rebuild:');
}

const work = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-site-'));
const journal = path.join(work, 'journal');
// The bare project must live inside this project so that it resolves astro from node_modules.
const bare = path.join(projectDir, '.lab', `bench-bare-${process.pid}`);
try {
  console.log(
    `site benchmark: ${values.entries} entries, ${values.pages} pages, ${values.notebooks} notebooks, ${values.images} images (${os.cpus().length} cores)`,
  );
  await runNode(
    [
      path.join(projectDir, 'scripts', 'generate-journal.ts'),
      journal,
      '--entries',
      values.entries!,
      '--pages',
      values.pages!,
      '--notebooks',
      values.notebooks!,
      '--images',
      values.images!,
    ],
    projectDir,
  );

  writeBareProject(bare, journal, path.join(work, 'bare-dist'));
  const base = await runNode([path.join(projectDir, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--root', bare, '--silent'], bare);
  const basePages = countHtml(path.join(work, 'bare-dist'));

  const out = path.join(work, 'dist');
  const cold = await runNode([path.join(projectDir, 'src', 'cli', 'bin.ts'), '-C', journal, 'build', '--out', out, '--allow-errors'], projectDir);
  const ours = countHtml(out);
  const stages = cold.stdout
    .split('\n')
    .filter((l) => /^build: \w+ \d+ ms$/.test(l))
    .map((l) => l.replace(/^build: /, ''))
    .join(', ');
  const madeCold = /(\d+) thumbnails made/.exec(cold.stdout)?.[1] ?? '?';

  const ratio = cold.seconds / base.seconds;
  console.log(
    `bare Astro build:   ${base.seconds.toFixed(1)} s, ${basePages} pages, ${(basePages / base.seconds).toFixed(0)} pages/s, peak RSS ${base.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `npm run build:      ${cold.seconds.toFixed(1)} s, ${ours} pages, ${(ours / cold.seconds).toFixed(0)} pages/s, peak RSS ${cold.maxRssMb.toFixed(0)} MB, ${madeCold} thumbnails made`,
  );
  console.log(`  stages: ${stages}`);
  console.log(`ratio (build / bare): ${ratio.toFixed(2)}  (target ≤ 2.0)${ratio <= 2 ? '' : '  ← over target'}`);
  console.log(`peak RSS: ${(cold.maxRssMb / 1024).toFixed(2)} GB  (target ≤ 2.5 GB)${cold.maxRssMb / 1024 <= 2.5 ? '' : '  ← over target'}`);
  const totalGb = cold.tree.peakTotalMb / 1024;
  console.log(`peak memory, npm run build: ${describeTreeMemory(cold.tree)}  (target ≤ 8 GB)${totalGb <= 8 ? '' : '  ← over target'}`);
  const pagefindMb = Math.max(0, ...cold.tree.processes.filter((p) => p.name.startsWith('pagefind')).map((p) => p.peakMb));
  console.log(`peak memory, Pagefind:      ${(pagefindMb / 1024).toFixed(2)} GB  (target ≤ 1.5 GB)${pagefindMb / 1024 <= 1.5 ? '' : '  ← over target'}`);
  console.log(`peak memory, bare Astro:    ${describeTreeMemory(base.tree)}`);
  for (const line of describeHosting(measureSite(out), Number(values.entries))) console.log(line);
  await rebuildPhases(cold, out);
} finally {
  rmSync(bare, { recursive: true, force: true });
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
