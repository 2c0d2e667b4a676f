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

await bundleRunCommand();

/**
 * `lab run` is the command people run most, and its start-up was mostly Node resolving and
 * linking ~230 small modules (ours, zod's, yaml's): `npm run bench -- runner` measured 7×
 * `node -e 0`. So lib/cli/commands/run.js is replaced by one bundle of its whole graph, with the
 * packages it imports statically. A package only ever imported dynamically (an integration's
 * client, sharp, isomorphic-git) stays an ordinary import, loaded only when needed: bundled, its
 * static imports would be hoisted and load on every run. lib/core/diagnostics.js stays shared,
 * so the CLI's `instanceof LabError` recognises the errors the bundle throws. Modules in the
 * bundle find their files through src/package-files.ts, because their `import.meta.url` is the
 * bundle's; the build fails if any other `import.meta` is bundled.
 */
async function bundleRunCommand() {
  const { build } = await import('esbuild');
  const outfile = path.join(lib, 'cli', 'commands', 'run.js');
  const shared = new Set([path.join(lib, 'core', 'diagnostics.js')]);
  const entryText = readFileSync(outfile, 'utf8');
  const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
  const isBare = (specifier) => !specifier.startsWith('.') && !path.isAbsolute(specifier) && !specifier.startsWith('node:');
  const bundle = (plan) =>
    build({
      entryPoints: [outfile],
      outfile,
      allowOverwrite: true,
      write: plan.write,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      metafile: true,
      logLevel: 'warning',
      // CommonJS packages (yaml is one under Node) require() built-ins, which needs a real require.
      banner: { js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);" },
      plugins: [
        {
          name: 'keep-imports',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point') return undefined;
              if (args.path.startsWith('node:')) return { path: args.path, external: true };
              if (isBare(args.path)) {
                const name = packageName(args.path);
                if (args.kind !== 'dynamic-import') plan.staticPackages.add(name);
                return args.kind === 'dynamic-import' && !plan.bundledDynamic.has(name) ? { path: args.path, external: true } : undefined;
              }
              const target = path.resolve(args.resolveDir, args.path);
              if (shared.has(target)) return { path: path.relative(path.dirname(outfile), target).replaceAll('\\', '/'), external: true };
              return undefined;
            });
          },
        },
      ],
    });
  // A first pass finds the packages imported statically; one also imported dynamically is then bundled once, not loaded twice.
  const survey = { write: false, staticPackages: new Set(), bundledDynamic: new Set() };
  await bundle(survey);
  const plan = { write: true, staticPackages: new Set(), bundledDynamic: survey.staticPackages };
  const result = await bundle(plan);
  const metaUsers = Object.keys(result.metafile.inputs).filter(
    (file) =>
      !file.endsWith('package-files.js') &&
      !file.includes('node_modules') &&
      /\bimport\.meta\b/.test(path.join(root, file) === outfile ? entryText : readFileSync(path.join(root, file), 'utf8')),
  );
  if (metaUsers.length) {
    console.error(`build-lib: these modules use import.meta but are bundled into lab run; use src/package-files.ts:\n  ${metaUsers.join('\n  ')}`);
    process.exit(1);
  }
  console.error(`build-lib: bundled lab run (${Object.keys(result.metafile.inputs).length} modules) into ${path.relative(root, outfile)}`);
}
