/**
 * `lab init`: makes a journal that stands on its own — layout, lab.config.yaml, package.json with
 * the tool and its scripts, .gitignore, a README and the two GitHub workflows. In an empty folder it
 * starts a git repository; inside an existing one it adds to it (no nested `.git`) and puts the
 * workflows at that repository's root, running in the journal's folder. It never overwrites a file.
 */
import { existsSync, promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { createFileAtomic } from '../core/fs/atomic.ts';
import { VERSION } from '../version.ts';
import * as templates from './init-templates.ts';

/** The oldest Node the tool runs on; src/cli/bin.ts checks the same. */
const NODE_FLOOR = '22.20';

/** Options of {@link initJournal}. */
export interface InitOptions {
  /** The journal's display name (default: the folder's name). */
  name?: string;
  /** How the journal's package.json asks for the tool (default `^<running version>`). */
  packageSpec?: string;
  /** Initialise a non-empty folder that is not a journal yet (files already there are kept). */
  force?: boolean;
  /** Resolves relative `file:` package specs (default: the process's working directory). */
  cwd?: string;
}

/** What {@link initJournal} did. */
export interface InitResult {
  root: string;
  name: string;
  /** Files written, relative to the journal. */
  created: string[];
  /** Files that existed and were left as they were, relative to the journal. */
  kept: string[];
  /** The enclosing repository's root when the journal was added to one; null when `git init` ran. */
  repository: string | null;
  /** The journal's folder inside that repository (`''` at its root). */
  dir: string;
  /** Where the workflows are, relative to the journal. */
  workflows: string[];
}

/** The nearest folder at or above `dir` with a `.git` (folder or file), or null. */
function enclosingRepository(dir: string): string | null {
  for (let d = path.resolve(dir); ; ) {
    if (existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

function packageNameOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return slug.slice(0, 214) || 'lab-journal';
}

/** `file:` specs and bare tarball or folder paths become absolute, so they resolve from the journal. */
function resolveSpec(spec: string, cwd: string): string {
  const local = spec.startsWith('file:') ? spec.slice(5) : /^(\.{0,2}\/|~)|\.tgz$/.test(spec) ? spec : null;
  if (local === null) return spec;
  return `file:${path.resolve(cwd, local)}`;
}

/** Creates (or completes, with `force`) a journal in `dir`. */
export async function initJournal(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const root = path.resolve(dir);
  const isJournal = existsSync(path.join(root, 'lab.config.yaml'));
  if (existsSync(root) && !statSync(root).isDirectory()) throw new LabError(`${root} exists and is not a folder`, { exitCode: 2 });
  const present = existsSync(root)
    ? readdirSync(root)
        .filter((f) => f !== '.git')
        .sort()
    : [];
  if (isJournal && !options.force) {
    throw new LabError(`${root} is already a lab journal (lab.config.yaml exists); 'lab init --force' adds the files it lacks and changes none`);
  }
  if (!isJournal && present.length && !options.force) {
    throw new LabError(
      `${root} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); choose a new folder, or pass --force to add a journal here (no existing file is changed)`,
      { exitCode: 2 },
    );
  }
  const repository = enclosingRepository(root);
  const name = options.name ?? path.basename(root);
  const facts: templates.JournalFacts = {
    name,
    packageName: packageNameOf(name),
    packageSpec: resolveSpec(options.packageSpec ?? `^${VERSION}`, options.cwd ?? process.cwd()),
    dir: repository ? path.relative(repository, root).split(path.sep).join('/') : '',
    nodeFloor: NODE_FLOOR,
  };
  const repoRoot = repository ?? root;
  const files: [string, string][] = [
    ['lab.config.yaml', templates.labConfig(facts)],
    ['package.json', templates.packageJson(facts)],
    ['.gitignore', templates.GITIGNORE],
    ['README.md', templates.readme(facts)],
    ['content/notebooks/.gitkeep', ''],
    ['content/blobs/.gitkeep', ''],
    ['lab/raw/.gitkeep', ''],
    [path.relative(root, path.join(repoRoot, '.github/workflows/pages.yml')), templates.pagesWorkflow(facts)],
    [path.relative(root, path.join(repoRoot, '.github/workflows/experiment-diff.yml')), templates.experimentDiffWorkflow(facts)],
  ];
  const created: string[] = [];
  const kept: string[] = [];
  for (const [rel, text] of files) {
    const file = path.join(root, rel);
    if (existsSync(file)) {
      kept.push(rel);
      continue;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await createFileAtomic(file, text);
    created.push(rel);
  }
  if (!repository) {
    const git = (await import('isomorphic-git')).default;
    await git.init({ fs, dir: root, defaultBranch: 'main' });
  }
  const workflows = files.slice(-2).map(([rel]) => rel.split(path.sep).join('/'));
  return {
    root,
    name,
    created: created.map((f) => f.split(path.sep).join('/')),
    kept: kept.map((f) => f.split(path.sep).join('/')),
    repository,
    dir: facts.dir,
    workflows,
  };
}
