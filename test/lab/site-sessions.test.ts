import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawSession } from '../../src/lab/schema.ts';
import {
  fileHostUrl,
  type JournalLinks,
  linksForFile,
  loadSessionViews,
  mergeMessages,
  renderStubHtml,
  repositoryWebUrl,
  sessionsForItem,
} from '../../src/site/sessions.ts';
import { lab, ROLLOUTS, tmpWorkspace } from './helpers.ts';

describe('session pages: pure helpers', () => {
  it.each([
    ['git@github.com:ana-lab/codex-lab.git', 'https://github.com/ana-lab/codex-lab'],
    ['ssh://git@gitlab.example.com:2222/group/sub/repo.git', 'https://gitlab.example.com/group/sub/repo'],
    ['https://user:token123@github.com/o/r.git', 'https://github.com/o/r'],
    ['https://github.com/o/r/', 'https://github.com/o/r'],
    ['/srv/git/repo.git', null],
    [null, null],
  ])('repository web URL of %s', (input, expected) => {
    expect(repositoryWebUrl(input)).toBe(expected);
  });

  it('links a repo-relative file on its host at the session commit', () => {
    expect(fileHostUrl('https://github.com/o/r', 'abc123', 'src/a b.ts')).toBe('https://github.com/o/r/blob/abc123/src/a%20b.ts');
    expect(fileHostUrl('https://gitlab.com/g/r', null, 'x.py')).toBe('https://gitlab.com/g/r/-/blob/HEAD/x.py');
    expect(fileHostUrl('https://github.com/o/r', 'abc', '/etc/hosts')).toBeNull();
    expect(fileHostUrl(null, 'abc', 'x.py')).toBeNull();
  });

  it('finds the entries and pages that use a file', () => {
    const journal: JournalLinks = {
      entries: [
        {
          id: 'e1',
          title: 'Night delta',
          input_files: ['content/notebooks/n/p/entries/night.sql'],
          inputs: { script: './night.sql' },
          source: { path: 'content/notebooks/n/p/entries/001.md' },
        },
        { id: 'e2', title: 'Fit', input_files: [], inputs: { command: 'python3 ./fit.py --night' }, source: { path: 'content/notebooks/n/p/entries/002.md' } },
        { id: 'e3', title: 'Other fit', input_files: [], inputs: { command: 'python3 ./fit.py' }, source: { path: 'content/notebooks/n/q/entries/001.md' } },
        { id: 'e4', title: 'Refit', input_files: [], inputs: { command: 'python3 ./refit.py' }, source: { path: 'content/notebooks/n/p/entries/003.md' } },
      ],
      pages: [{ id: 'p', title: 'Page P', source: { path: 'content/notebooks/n/p/README.md' } }],
      repository: null,
      href: { entry: (id) => `/entries/${id}/`, page: (id) => `/pages/${id}/` },
    };
    expect(linksForFile('content/notebooks/n/p/entries/night.sql', journal).map((l) => [l.id, l.relation])).toEqual([
      ['e1', 'input'],
      ['p', 'folder'],
    ]);
    expect(linksForFile('content/notebooks/n/p/entries/fit.py', journal).map((l) => [l.id, l.relation])).toEqual([
      ['e2', 'command'],
      ['p', 'folder'],
    ]);
    expect(linksForFile('content/notebooks/n/p/README.md', journal).map((l) => [l.id, l.relation])).toEqual([['p', 'source']]);
    expect(linksForFile('src/core/compile.ts', journal)).toEqual([]);
  });

  it('orders prompts and replies by time, or alternates them when a legacy record has no timestamps', () => {
    const rec = (ts: boolean) =>
      ({
        'lab/session-id': 's',
        'lab/user-messages': [
          { id: 's:u001', timestamp: ts ? '2026-01-01T00:00:00Z' : null, text: 'a' },
          { id: 's:u002', timestamp: ts ? '2026-01-01T00:02:00Z' : null, text: 'b' },
        ],
        'lab/assistant-messages': [{ id: 's:a001', timestamp: ts ? '2026-01-01T00:01:00Z' : null, text: '**done** <script>alert(1)</script>' }],
        'lab/files-touched': [],
      }) as RawSession;
    expect(mergeMessages(rec(true)).map((m) => m.id)).toEqual(['s:u001', 's:a001', 's:u002']);
    expect(mergeMessages(rec(false)).map((m) => m.id)).toEqual(['s:u001', 's:a001', 's:u002']);
    const reply = mergeMessages(rec(true))[1]!;
    expect(reply.html).toContain('<strong>done</strong>');
    expect(reply.html).not.toContain('<script');
  });

  it('renders a stub as sanitized HTML with file names intact', () => {
    const html = renderStubHtml(
      ':PROPERTIES:\n:SESSION_ID: s\n:END:\n#+TITLE: t\n#+OPTIONS: ^:{}\n\n* Context\nfit_drift.py [[javascript:alert(1)][x]]\n#+begin_export html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n#+end_export\n* Delta\n- =a_b.ts= — added\n',
    );
    expect(html).toContain('<h2>Context</h2>');
    expect(html).toContain('fit_drift.py');
    expect(html).not.toMatch(/<script|onerror|javascript:/);
    expect(html).not.toContain('SESSION_ID');
  });

  it('loads views for every session and finds the sessions that touched an entry', async () => {
    const ws = await tmpWorkspace();
    await lab(ws, 'sessions', 'import', '--force', path.join(ROLLOUTS, 'envelope-current.jsonl'), path.join(ROLLOUTS, 'legacy-own.jsonl'));
    await lab(ws, 'sessions', 'summarize', '--all');
    const journal: JournalLinks = {
      entries: [{ id: 'e-greet', title: 'Greeting', input_files: ['src/greet.ts'], inputs: {}, source: { path: 'content/notebooks/n/p/entries/001.md' } }],
      pages: [],
      repository: 'https://github.com/dev/fallback',
      href: { entry: (id) => `/entries/${id}/`, page: (id) => `/pages/${id}/` },
    };
    const views = await loadSessionViews(ws, journal);
    expect(views.map((v) => v.summary.id)).toEqual(['0199a001-0000-7000-8000-00000000e001', '5973b6c0-0000-4000-8000-00000000e006']);
    const [env, legacy] = views;
    expect(env!.stubHtml).toContain('<h2>Delta</h2>');
    expect(env!.files.find((f) => f.path === 'src/greet.ts')?.hostUrl).toBe(
      'https://github.com/dev/proj/blob/1111111111111111111111111111111111111111/src/greet.ts',
    );
    expect(env!.commands).toBeNull();
    expect(legacy!.files[0]!.hostUrl).toBe('https://github.com/dev/proj/blob/abc/docs/intro.md');
    expect(sessionsForItem(views, 'entry', 'e-greet').map((v) => v.summary.id)).toEqual(['0199a001-0000-7000-8000-00000000e001']);
  });
});
