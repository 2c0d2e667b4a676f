import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { COMMENT_MARKER, renderMarkdown } from '../../src/git/diff/render-markdown.ts';
import { diffJournal } from '../../src/git/diff/run.ts';
import { removeTempDirs } from './helpers.ts';
import { prScenario } from './scenario.ts';

afterAll(removeTempDirs);

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'pr-comment.md');

describe('lab diff --format md (the pull-request comment)', async () => {
  const s = await prScenario();

  it('matches the golden comment (UPDATE=1 refreshes it)', async () => {
    let out = '';
    const code = await main(['-C', s.repo.dir, 'diff', 'main..feature', '--format', 'md'], { out: (t) => (out += t) });
    expect(code).toBe(0);
    if (process.env.UPDATE) fs.writeFileSync(FIXTURE, out);
    expect(out).toBe(fs.readFileSync(FIXTURE, 'utf8'));
  });

  it('starts with the hidden marker, a summary line and a narrow summary table', async () => {
    const { diff } = await diffJournal(s.repo.dir, 'main..feature');
    const md = renderMarkdown(diff);
    const lines = md.split('\n');
    expect(lines[0]).toBe(COMMENT_MARKER);
    const table = lines.filter((l) => l.startsWith('| '));
    expect(table[0]).toBe('| | Entry | What changed | Result |');
    // One row per changed entry, four columns each.
    expect(table.slice(1, 6).every((row) => row.split(' | ').length === 4)).toBe(true);
    expect(md).toContain('aesthetic 6.1→6.8 (+11.5%) 🟢');
    expect(md.match(/<details>/g)).toHaveLength(6); // 5 entries + 1 page
  });

  it('links images to the repository raw files at the head commit, never elsewhere', async () => {
    const hex = String(s.image.hash).slice(7);
    const md = fs.readFileSync(FIXTURE, 'utf8');
    const url = `https://github.com/acme/journal/raw/${s.head}/content/blobs/${hex.slice(0, 2)}/${hex}.png`;
    expect(md).toContain(`<img src="${url}" width="160" alt="image-001.png"`);
    const hosts = [...md.matchAll(/https?:\/\/([^/"\s)]+)/g)].map((m) => m[1]);
    expect(new Set(hosts)).toEqual(new Set(['github.com']));
  });

  it('says visibly when details are left out to fit the size limit', async () => {
    const { diff } = await diffJournal(s.repo.dir, 'main..feature');
    const md = renderMarkdown(diff, { maxChars: 2500 });
    expect(md.length).toBeLessThanOrEqual(2500);
    expect(md).toMatch(/Details of \d+ more items are not shown: the comment would pass GitHub's size limit/);
  });

  it('escapes Markdown and HTML in titles', async () => {
    const { diff } = await diffJournal(s.repo.dir, 'main..feature');
    diff.entries[0]!.title = 'a | b <script>alert(1)</script> *x*';
    const md = renderMarkdown(diff);
    expect(md).not.toContain('<script>');
    expect(md).toContain('a &#124; b &lt;script&gt;');
  });
});
