/**
 * The package as a new user gets it: `npm pack`, installed into a fresh project, `lab init` of a
 * journal that depends on the tarball, `npm install` there, a notebook/page/entry, `npm run
 * run-entry`, `npm run build` → dist/. The SDK is imported from .mjs and .cjs, and a strict
 * TypeScript consumer type-checks. Then the generated workflows' shell steps run as they would on
 * GitHub: `npm ci`, the build with LAB_SITE/LAB_BASE, and `lab diff` between two commits.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, tmpDir } from '../core/helpers.ts';

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...cleanEnv(), ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Without vitest's own variables, which would leak into Astro's Vite. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST|npm_)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

/**
 * This machine's registry lacks an optional Windows binary that newer Vite releases list
 * (`napi-windows-process-start-time`): npm install then leaves it out of the lock file and `npm ci`
 * refuses the lock. The public registry serves it; here the journal keeps the Vite version of this
 * repository's own lock file (an npm override), so its `npm ci` step can run.
 */
function pinViteAsThisRepository(dir: string): void {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.overrides = { vite: lock.packages['node_modules/vite'].version };
  writeFileSync(file, JSON.stringify(pkg, null, 2));
}

let tarball: string;
let app: string;
let journal: string;

beforeAll(() => {
  const packDir = tmpDir('lab-pack-');
  const out = sh('npm', ['pack', '--json', '--pack-destination', packDir, ...NPM_FLAGS], REPO);
  tarball = path.join(packDir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  app = tmpDir('lab-app-');
  writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  sh('npm', ['install', tarball, ...NPM_FLAGS], app);
}, 600_000);

describe('the packed tarball', () => {
  it('holds the compiled tool and nothing else', () => {
    const files = sh('tar', ['tzf', tarball], REPO)
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('lib/cli/bin.js');
    expect(files).toContain('lib/sdk/index.d.ts');
    expect(files).toContain('lib/site/routes/index.astro');
    expect(files).toContain('lib/serve/ui/app.js'); // the lab app lab serve sends
    expect(files.filter((f) => !/^(lib\/|public\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('imports from .mjs and .cjs, and type-checks in a strict TypeScript consumer', () => {
    writeFileSync(
      path.join(app, 'esm.mjs'),
      "import { openWorkspace } from 'codex-lab-journal';\nimport journal from 'codex-lab-journal/astro';\nconsole.log(typeof openWorkspace, journal().name);\n",
    );
    expect(sh(process.execPath, ['esm.mjs'], app).trim()).toBe('function codex-lab-journal');
    writeFileSync(path.join(app, 'cjs.cjs'), "import('codex-lab-journal').then((m) => console.log(typeof m.openWorkspace, typeof m.compile));\n");
    expect(sh(process.execPath, ['cjs.cjs'], app).trim()).toBe('function function');
    writeFileSync(
      path.join(app, 'consumer.ts'),
      "import { openWorkspace, type Entry, type JournalIndex } from 'codex-lab-journal';\n" +
        'const ws = await openWorkspace(process.cwd());\nconst index: JournalIndex = await ws.index();\n' +
        'const first: Entry | undefined = index.entries[0];\nconsole.log(first?.id);\n',
    );
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('lab init makes a journal that installs, runs an entry and builds its own site', () => {
    const parent = tmpDir('lab-journal-');
    sh(path.join(app, 'node_modules', '.bin', 'lab'), ['init', 'my-journal', '--name', 'My Laboratory', '--package-spec', `file:${tarball}`], parent);
    journal = path.join(parent, 'my-journal');
    pinViteAsThisRepository(journal);
    sh('npm', ['install', ...NPM_FLAGS], journal);
    const lab = (...args: string[]) => sh('npx', ['--no-install', 'lab', ...args], journal);
    expect(lab('--version').trim()).toBe(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    lab('new', 'notebook', 'Image generation');
    lab('new', 'page', 'CFG sweep', '--notebook', 'Image generation');
    const created = JSON.parse(
      lab('new', 'entry', 'command', '--page', 'cfg-sweep', '--title', 'Hello', '--input', 'command=echo hello from the journal', '--json'),
    );
    const id = created.id as string;
    expect(sh('npm', ['run', 'run-entry', '--', id], journal)).toContain('hello from the journal');
    expect(readFileSync(path.join(journal, created.source.path), 'utf8')).toMatch(/status: completed/);
    sh('npm', ['run', 'build'], journal);
    const html = readFileSync(path.join(journal, 'dist', 'entries', id, 'index.html'), 'utf8');
    expect(html).toContain('<h1>Hello</h1>');
    expect(existsSync(path.join(journal, 'dist', 'pagefind', 'pagefind.js'))).toBe(true);
    expect(existsSync(path.join(journal, 'dist', 'api', 'entries', `${id}.json`))).toBe(true);
  });

  it("the generated workflows' shell steps run off GitHub: npm ci, the Pages build, the PR diff", () => {
    const wf = (name: string) => parse(readFileSync(path.join(journal, '.github', 'workflows', name), 'utf8'));
    const steps = (name: string) =>
      Object.values(wf(name).jobs as Record<string, { steps: { name?: string; run?: string; env?: Record<string, string> }[] }>).flatMap((j) => j.steps);
    const git = (...args: string[]) => sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], journal);
    git('add', '-A');
    git('commit', '-qm', 'journal');
    const base = git('rev-parse', 'HEAD').trim();
    // npm ci (the lock file npm install wrote is complete)
    for (const s of steps('pages.yml').filter((s) => s.run === 'npm ci')) sh('bash', ['-euo', 'pipefail', '-c', s.run!], journal);
    const build = steps('pages.yml').find((s) => s.run === 'npm run build')!;
    sh('bash', ['-euo', 'pipefail', '-c', build.run!], journal, { LAB_SITE: 'https://me.github.io', LAB_BASE: '/my-journal/' });
    expect(readFileSync(path.join(journal, 'dist', 'index.html'), 'utf8')).toContain('href="/my-journal/');
    // A second commit re-runs the entry with another command; the diff step reports it.
    const entries = path.join(journal, 'content/notebooks/image-generation/cfg-sweep/entries');
    const entryFile = readdirSync(entries).find((f) => f.endsWith('.md'))!;
    // An entry by its path, relative to the folder the command runs in.
    sh('npx', ['--no-install', 'lab', 'variation', entryFile, '--title', 'Louder', '--override', 'command=echo HELLO'], entries);
    git('add', '-A');
    git('commit', '-qm', 'variation');
    const head = git('rev-parse', 'HEAD').trim();
    const diff = steps('experiment-diff.yml').find((s) => s.name === 'Compute the experiment diff')!;
    const temp = tmpDir('lab-runner-temp-');
    const summary = path.join(temp, 'summary.md');
    sh('bash', ['-euo', 'pipefail', '-c', diff.run!], journal, {
      BASE: base,
      HEAD: head,
      IMAGES: 'https://github.com/me/j/raw/x/',
      RUNNER_TEMP: temp,
      GITHUB_STEP_SUMMARY: summary,
    });
    const report = readFileSync(path.join(temp, 'lab-diff.md'), 'utf8');
    expect(report).toContain('<!-- lab-diff -->');
    expect(report).toContain('Louder');
  });
});
