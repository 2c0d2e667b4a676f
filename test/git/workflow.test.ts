/**
 * The PR workflow, run as far as it can be without GitHub: its shell step runs
 * for real on a scenario repository, and its github-script step runs against an
 * in-memory stand-in for the issues API (create once, then update the same comment).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { removeTempDirs, tempDir } from './helpers.ts';
import { prScenario } from './scenario.ts';

afterAll(removeTempDirs);

const ROOT = path.resolve(import.meta.dirname, '../..');
const workflow = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/experiment-diff.yml'), 'utf8'));
const steps: { name?: string; run?: string; uses?: string; with?: Record<string, string>; if?: string }[] = workflow.jobs.diff.steps;

describe('.github/workflows/experiment-diff.yml', () => {
  it('runs on pull requests with permission to comment, and fetches full history', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const uses = steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]);
    // Only GitHub's own actions: no third-party service sees the diff.
    expect(uses.every((u) => u!.startsWith('actions/'))).toBe(true);
  });

  it('its shell step computes the diff between base and head', async () => {
    const s = await prScenario();
    const step = steps.find((x) => x.name === 'Compute the experiment diff')!;
    const temp = tempDir('lab-wf-');
    const summary = path.join(temp, 'summary.md');
    const script = step.run!.replaceAll('npm run --silent lab --', `node ${JSON.stringify(path.join(ROOT, 'src/cli/bin.ts'))}`);
    execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: s.repo.dir,
      env: {
        ...process.env,
        BASE: s.base,
        HEAD: s.head,
        IMAGES: `https://github.com/acme/journal/raw/${s.head}/`,
        RUNNER_TEMP: temp,
        GITHUB_STEP_SUMMARY: summary,
      },
    });
    const comment = fs.readFileSync(path.join(temp, 'lab-diff.md'), 'utf8');
    expect(comment.startsWith('<!-- lab-diff -->\n')).toBe(true);
    expect(comment).toContain(`raw/${s.head}/content/blobs/`);
    expect(fs.readFileSync(summary, 'utf8')).toBe(comment);
    expect(JSON.parse(fs.readFileSync(path.join(temp, 'lab-diff.json'), 'utf8')).head.commit).toBe(s.head);
  });

  it('its github-script step creates ONE comment and then updates it', async () => {
    const step = steps.find((x) => x.uses?.startsWith('actions/github-script'))!;
    expect(step.if).toContain('head.repo.full_name == github.repository');
    const temp = tempDir('lab-wf-');
    const comments: { id: number; body: string; user: { type: string }; html_url: string }[] = [
      { id: 1, body: 'LGTM', user: { type: 'User' }, html_url: 'u1' },
      { id: 2, body: 'quoting <!-- lab-diff --> by hand', user: { type: 'User' }, html_url: 'u2' },
    ];
    const github = {
      paginate: async (fn: (a: unknown) => Promise<{ data: unknown[] }>, args: unknown) => (await fn(args)).data,
      rest: {
        issues: {
          listComments: async () => ({ data: comments.map((c) => ({ ...c })) }),
          createComment: async ({ body }: { body: string }) => {
            const c = { id: comments.length + 1, body, user: { type: 'Bot' }, html_url: `u${comments.length + 1}` };
            comments.push(c);
            return { data: c };
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            comments.find((c) => c.id === comment_id)!.body = body;
            return { data: {} };
          },
        },
      },
    };
    const context = { repo: { owner: 'acme', repo: 'journal' }, payload: { pull_request: { number: 7 } } };
    const core = { info: () => {} };
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    const script = new AsyncFunction('require', 'github', 'context', 'core', step.with!.script!);
    const runOnce = async (body: string) => {
      fs.writeFileSync(path.join(temp, 'lab-diff.md'), body);
      const saved = process.env.RUNNER_TEMP;
      process.env.RUNNER_TEMP = temp;
      try {
        await script(createRequire(import.meta.url), github, context, core);
      } finally {
        if (saved === undefined) delete process.env.RUNNER_TEMP;
        else process.env.RUNNER_TEMP = saved;
      }
    };
    await runOnce('<!-- lab-diff -->\nfirst');
    await runOnce('<!-- lab-diff -->\nsecond');
    const mine = comments.filter((c) => c.body.includes('<!-- lab-diff -->') && c.user.type === 'Bot');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toBe('<!-- lab-diff -->\nsecond');
    expect(comments[1]!.body).toBe('quoting <!-- lab-diff --> by hand');
  });
});
