/**
 * The files `lab init` writes into a new journal. Each is a function of the few facts that vary:
 * the journal's name, the tool's package spec and where the journal sits in its git repository.
 */

/** What the templates need to know. */
export interface JournalFacts {
  /** The journal's display name (lab.config.yaml `name`). */
  name: string;
  /** npm package name for package.json: lower-case, no spaces. */
  packageName: string;
  /** How package.json asks for the tool: `^0.2.0`, `file:/path/to.tgz`, a git URL … */
  packageSpec: string;
  /** The journal's folder relative to the repository root, `''` when it is the root. */
  dir: string;
  /** The oldest Node the tool runs on, e.g. `22.15`. */
  nodeFloor: string;
}

/** package.json: the tool as a devDependency and the journal's scripts. */
export function packageJson(f: JournalFacts): string {
  const pkg = {
    name: f.packageName,
    private: true,
    description: `${f.name}: a Codex lab journal`,
    type: 'module',
    scripts: {
      build: 'lab build',
      dev: 'lab dev',
      preview: 'lab preview',
      check: 'lab check',
      'run-entry': 'lab run',
      lab: 'lab',
    },
    devDependencies: { 'codex-lab-journal': f.packageSpec },
    engines: { node: `>=${f.nodeFloor}` },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function labConfig(f: JournalFacts): string {
  return `# Codex lab journal settings
name: ${JSON.stringify(f.name)}
# repository: https://github.com/<you>/<repo>   # "view source" links and the footer commit
# site: https://<you>.github.io                 # set by the Pages workflow (LAB_SITE)
# base: /<repo>/                                # set by the Pages workflow (LAB_BASE)
`;
}

export const GITIGNORE = `node_modules/
dist/
.lab/
.astro/
`;

export function readme(f: JournalFacts): string {
  const cd = f.dir ? `cd ${f.dir}\n` : '';
  return `# ${f.name}

A laboratory journal kept with [codex-lab-journal](https://www.npmjs.com/package/codex-lab-journal):
notebooks, pages and experiment entries are Markdown (or Org) files under \`content/\`, written in
any editor; \`lab run\` executes an entry and writes its results back into the file.

\`\`\`sh
${cd}npm install                 # once; commit package-lock.json (the workflows use npm ci)
npx lab new notebook "My first notebook"
npx lab new page "First experiments" --notebook "My first notebook"
npx lab new entry command --page first-experiments --title "Hello" --input command='echo hello'
npm run run-entry -- <entry id or path>
npm run check                # every problem as path:line:col
npm run dev                  # the site with live reload
npm run build && npm run preview
\`\`\`

- \`.github/workflows/pages.yml\` publishes the site to GitHub Pages on every push to \`main\`
  (Settings → Pages → Source: GitHub Actions).
- \`.github/workflows/experiment-diff.yml\` comments on pull requests with what changed in the
  experiments.
- \`.lab/\` and \`dist/\` are derived and ignored by git; \`content/blobs/\` holds the artifacts.
`;
}

const quote = (s: string) => JSON.stringify(s);

/** Lines that make a job run in the journal's folder when it is not the repository root. */
function workingDirectory(f: JournalFacts, indent: string): string {
  return f.dir ? `${indent}defaults:\n${indent}  run:\n${indent}    working-directory: ${quote(f.dir)}\n` : '';
}

function inDir(f: JournalFacts, file: string): string {
  return f.dir ? `${f.dir}/${file}` : file;
}

function pathsFilter(f: JournalFacts, workflow: string, indent: string): string {
  return f.dir ? `${indent}paths:\n${indent}  - ${quote(`${f.dir}/**`)}\n${indent}  - ${quote(`.github/workflows/${workflow}`)}\n` : '';
}

/** Builds the site and deploys it to GitHub Pages under the repository's sub-path. */
export function pagesWorkflow(f: JournalFacts): string {
  return `# Builds the journal's site (lab build: compile, Astro, thumbnails, search) and deploys it to
# GitHub Pages. configure-pages gives the origin and the repository's sub-path, which reach the
# build as LAB_SITE / LAB_BASE. Enable once: Settings → Pages → Source: GitHub Actions.
name: Deploy journal to Pages

on:
  push:
    branches: [main]
${pathsFilter(f, 'pages.yml', '    ')}  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
${workingDirectory(f, '    ')}    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # entry pages show the commits that touched them
      - id: pages
        uses: actions/configure-pages@v5
      - id: journal
        name: Find the last commit that changed the journal
        run: echo "commit=$(git log -1 --format=%H -- content lab lab.config.yaml)" >> "$GITHUB_OUTPUT"
      # Thumbnails, the compiler's cache, Astro's incremental cache (its manifest and a copy of
      # every page it rendered), the site's records and the rendered notes they point to, the
      # search bundles and the site itself. The key is the tool (lockfile), the journal's last
      # commit and where the site is published: a run that finds its exact key has nothing to
      # build and deploys the cached site (no npm ci, no build). Any other run starts from the
      # newest cache, where pages and search bundles whose inputs did not change are restored.
      - id: site-cache
        name: Cache the site and what it is made from
        uses: actions/cache@v4
        with:
          path: |
            ${inDir(f, '.lab/thumbs')}
            ${inDir(f, '.lab/cache')}
            ${inDir(f, '.lab/astro-cache')}
            ${inDir(f, '.lab/site/records.json')}
            ${inDir(f, '.lab/site/notes')}
            ${inDir(f, '.lab/site/search')}
            ${inDir(f, 'dist')}
          key: lab-\${{ hashFiles('${inDir(f, 'package-lock.json')}') }}-\${{ steps.journal.outputs.commit }}-\${{ steps.pages.outputs.base_url }}
          restore-keys: |
            lab-\${{ hashFiles('${inDir(f, 'package-lock.json')}') }}-
            lab-
      - uses: actions/setup-node@v4
        if: steps.site-cache.outputs.cache-hit != 'true'
        with:
          node-version: 24
          cache: npm
          cache-dependency-path: ${quote(inDir(f, 'package-lock.json'))}
      - run: npm ci
        if: steps.site-cache.outputs.cache-hit != 'true'
      - name: Build the site
        if: steps.site-cache.outputs.cache-hit != 'true'
        run: npm run build
        env:
          LAB_SITE: \${{ steps.pages.outputs.origin }}
          LAB_BASE: \${{ steps.pages.outputs.base_path }}/
      - uses: actions/upload-pages-artifact@v3
        with:
          path: ${quote(inDir(f, 'dist'))}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}

/** Posts `lab diff` as one pull-request comment, updated on every push. */
export function experimentDiffWorkflow(f: JournalFacts): string {
  return `# Comments on pull requests with what changed in the experiments (lab diff): entries added or
# re-run, parameters changed, metric deltas, new images. Uses only the workflow's own token; pull
# requests from forks get a read-only token, so for them the report is in the job summary.
name: Experiment diff

on:
  pull_request:
    types: [opened, synchronize, reopened]
${pathsFilter(f, 'experiment-diff.yml', '    ')}
permissions:
  contents: read
  pull-requests: write

concurrency:
  group: experiment-diff-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  diff:
    runs-on: ubuntu-latest
    timeout-minutes: 10
${workingDirectory(f, '    ')}    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          fetch-depth: 0 # lab diff reads both commits and their merge base
      - uses: actions/setup-node@v4
        with:
          node-version: 24
          cache: npm
          cache-dependency-path: ${quote(inDir(f, 'package-lock.json'))}
      - run: npm ci
      - name: Compute the experiment diff
        env:
          BASE: \${{ github.event.pull_request.base.sha }}
          HEAD: \${{ github.event.pull_request.head.sha }}
          IMAGES: \${{ github.server_url }}/\${{ github.repository }}/raw/\${{ github.event.pull_request.head.sha }}/${f.dir ? `${f.dir}/` : ''}
        run: |
          npx --no-install lab diff "$BASE...$HEAD" --format md --image-base "$IMAGES" > "$RUNNER_TEMP/lab-diff.md"
          npx --no-install lab diff "$BASE...$HEAD" --format md --image-base "$IMAGES" --max-chars 1000000 >> "$GITHUB_STEP_SUMMARY"
      - name: Create or update the comment
        if: github.event.pull_request.head.repo.full_name == github.repository
        uses: actions/github-script@v7
        with:
          script: |
            const fs = require('node:fs');
            const body = fs.readFileSync(\`\${process.env.RUNNER_TEMP}/lab-diff.md\`, 'utf8');
            const marker = '<!-- lab-diff -->';
            const { owner, repo } = context.repo;
            const issue_number = context.payload.pull_request.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
            const mine = comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(marker));
            if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            else await github.rest.issues.createComment({ owner, repo, issue_number, body });
`;
}
