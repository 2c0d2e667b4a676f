/**
 * Files as people write them in other tools: an Org lab notebook with a full Emacs export
 * header, org-roam files, a headline-only Org note, Obsidian and Quartz Markdown. They must
 * compile with no errors once `lab check --fix` has given the entries ids.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { fixDiagnostics, insertId } from '../../src/core/fix.ts';
import { splitOrg } from '../../src/core/source/org.ts';
import { orgDate, orgTags } from '../../src/core/source/org-values.ts';
import { lab, tmpDir } from './helpers.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'real-world');
const TRIAL = 'content/notebooks/protein-lab/2024-07-16-expression-trial';

function copy(): string {
  const dir = tmpDir('lab-real-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('Org as Emacs users write it', () => {
  it("keeps Org's own keywords (repeated, CSS, LaTeX) out of the data and reads the journal's", () => {
    const text = readFileSync(path.join(FIXTURE, 'content/notebooks/protein-lab/README.org'), 'utf8');
    const split = splitOrg(text);
    expect(split.problems).toEqual([]);
    // #+TAGS declares tags (with fast-selection keys); #+FILETAGS are the file's tags; #+DATE is the export date.
    expect(split.data).toEqual({ title: 'Protein Expression Lab Notebook', date: '2024-07-01', tags: ['protein', 'expression'] });
    expect(split.body).toContain('#+TODO: TODO(t) RUNNING(r)');
    expect(split.body).toContain('Expression trials of');
  });

  it('reads a top drawer with header-args properties, :TAGS: and timestamps', () => {
    const split = splitOrg(readFileSync(path.join(FIXTURE, TRIAL, 'README.org'), 'utf8'));
    expect(split.problems).toEqual([]);
    expect(split.data).toEqual({
      id: '9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90',
      tags: ['wetlab', 'IMPORTANT'],
      title: 'Expression trial, BL21 at 18 °C',
      date: '2024-07-16T10:30',
    });
    expect(split.positions.id).toEqual([3, 2]);
  });

  it('Org tags and timestamps', () => {
    expect(orgTags(':a:b:')).toEqual(['a', 'b']);
    expect(orgTags('a b')).toEqual(['a', 'b']);
    expect(orgTags('a, b')).toEqual(['a', 'b']);
    expect(orgDate('[2024-07-16 Tue 10:30]')).toBe('2024-07-16T10:30');
    expect(orgDate('<2024-07-16 Tue>')).toBe('2024-07-16');
    expect(orgDate('<2024-07-16 Tue 9:05 +1w>')).toBe('2024-07-16T09:05');
    expect(orgDate('2026-13-45')).toBe('2026-13-45');
  });

  it('still reports real duplicates and misspelt journal keys', () => {
    const split = splitOrg('#+TITLE: A\n#+ID: x\n#+ID: y\n');
    expect(split.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual(['3:3 duplicate key `id`']);
    expect(splitOrg('#+TITEL: A\n#+AUTHOR: me\n#+CREATOR: Emacs\n').data).toEqual({ titel: 'A' });
    expect(splitOrg(':PROPERTIES:\n:DIR: ./data\n:REVEAL_THEME: night\n:LAST_MODIFIED: [2024-07-01 Mon]\n:END:\n#+TITLE: T\n').data).toEqual({ title: 'T' });
  });

  it('a headline file takes its title from the first headline', () => {
    expect(splitOrg('* TODO [#A] Quick notes [1/2]   :followup:\nBody\n').data).toEqual({ title: 'Quick notes' });
    // The file's own keywords are stripped too; a word that is not one stays in the title.
    expect(splitOrg('#+TODO: TODO RUNNING | DONE FAILED\n* RUNNING Induction at 18 °C\n').data).toEqual({ title: 'Induction at 18 °C' });
    expect(splitOrg('* RUNNING Induction at 18 °C\n').data).toEqual({ title: 'RUNNING Induction at 18 °C' });
  });

  it('--fix writes :ID: into the top drawer, below a mode line, creating the drawer if needed', () => {
    expect(insertId('-*- mode: org -*-\n#+TITLE: T\n', true, 'entry-1')).toBe('-*- mode: org -*-\n:PROPERTIES:\n:ID:       entry-1\n:END:\n#+TITLE: T\n');
    expect(insertId(':PROPERTIES:\n:ROAM_ALIASES: x\n:END:\n#+title: T\n', true, 'entry-1')).toBe(
      ':PROPERTIES:\n:ID:       entry-1\n:ROAM_ALIASES: x\n:END:\n#+title: T\n',
    );
    expect(insertId('* Heading\nText\n', true, 'entry-1')).toBe(':PROPERTIES:\n:ID:       entry-1\n:END:\n* Heading\nText\n');
    expect(insertId('# -*- mode: org -*-\r\n#+TITLE: T\r\n', true, 'e')).toBe('# -*- mode: org -*-\r\n:PROPERTIES:\r\n:ID:       e\r\n:END:\r\n#+TITLE: T\r\n');
    // An Obsidian note without frontmatter gets a block holding the id.
    expect(insertId('# Meeting\n', false, 'entry-1')).toBe('---\nid: entry-1\n---\n# Meeting\n');
  });
});

describe('links and tags written in bodies', () => {
  it('finds wikilinks, embeds, relative links and Org links, not inside code', async () => {
    const { findReferences } = await import('../../src/core/references.ts');
    const md = 'See [[Note|alias]] and ![[a.png]] `[[not]]`\n```\n[[not]]\n```\n[x](./fig.png) [y](https://e.org) [z](#h) [[#Local]] [[Note#^blk|b]]\n';
    expect(findReferences(md, 'md', 5).map((r) => `${r.kind} ${r.target}${r.anchor ? `#${r.anchor}` : ''} ${r.line}:${r.column}`)).toEqual([
      'wikilink Note 5:5',
      'embed a.png 5:24',
      // `[[#Local]]`: a heading of this note, checked against its own headings.
      'wikilink #Local 9:43',
      'wikilink Note#^blk 9:54',
      'md-file ./fig.png 9:1',
    ]);
    const org = '[[id:abc][x]] [[file:../b.org::*H][y]]\n#+begin_src org\n[[id:no]]\n#+end_src\n';
    expect(findReferences(org, 'org', 1).map((r) => `${r.kind} ${r.target} ${r.line}:${r.column}`)).toEqual(['org-id abc 1:1', 'org-file ../b.org 1:15']);
  });

  it("body #tags follow Obsidian's rule; Org headline tags", async () => {
    const { findBodyTags } = await import('../../src/core/source/body-tags.ts');
    expect(
      findBodyTags('# Heading\nText #idea and #project/sub, not a#b, not #123, `#code`\n```\n#fenced\n```\n[l](https://x.org/#frag) #done\n', 'md'),
    ).toEqual(['idea', 'project/sub', 'done']);
    expect(findBodyTags('* TODO Task   :a:b:\n#+begin_src sh\n* not :c:\n#+end_src\n** Sub :d:\n', 'org')).toEqual(['a', 'b', 'd']);
  });
});

describe('runner write-back into Emacs-style Org files', () => {
  it('writes results below the header, keeping the mode line first and the drawer intact', async () => {
    const { applyRunnerValues } = await import('../../src/runners/write-back.ts');
    const withMode = '-*- mode: org -*-\n:PROPERTIES:\n:ID:       entry-1\n:END:\n#+TITLE: T\n#+OPTIONS: toc:nil\n\n* Notes\n';
    expect(applyRunnerValues(withMode, 'org', { status: 'completed' })).toBe(
      '-*- mode: org -*-\n:PROPERTIES:\n:ID:       entry-1\n:END:\n#+TITLE: T\n#+OPTIONS: toc:nil\n#+STATUS: completed\n\n* Notes\n',
    );
    const roam = ':PROPERTIES:\n:ID:       entry-2\n:header-args:python: :session s\n:END:\n* Notes\n';
    expect(applyRunnerValues(roam, 'org', { status: 'running' })).toBe(
      ':PROPERTIES:\n:ID:       entry-2\n:header-args:python: :session s\n:STATUS: running\n:END:\n* Notes\n',
    );
  });
});

describe('a real-world journal (Org lab notebook, org-roam, Obsidian, Quartz)', () => {
  it('compiles with 0 errors after `lab check --fix`, and the mode line stays first', async () => {
    const dir = copy();
    const before = await compile(dir, { cache: false, write: false });
    const errors = before.diagnostics.filter((d) => d.severity === 'error');
    // Only the missing ids of entries nobody gave one.
    expect(errors.map((d) => d.rule)).toEqual(['missing-id', 'missing-id', 'missing-id']);
    const r = await lab(['check', '--fix'], dir);
    expect(r.stdout + r.stderr).toMatch(/0 errors/);
    const induction = readFileSync(path.join(dir, TRIAL, 'entries/001-induction.org'), 'utf8').split('\n');
    expect(induction[0]).toBe('-*- mode: org -*-');
    expect(induction.slice(1, 4).join('\n')).toMatch(/^:PROPERTIES:\n:ID: +entry-[0-9a-f]{12}\n:END:$/);
    const after = await compile(dir, { cache: false, write: false });
    expect(after.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    // The one link to a note that does not exist is a warning at its line and column.
    expect(after.diagnostics.filter((d) => d.rule === 'unresolved-link').map(formatDiagnostic)).toEqual([
      'content/notebooks/vault/2024-08-reading/entries/003-scaling-laws.md:9:72: warning: [[Chinchilla]] matches no entry, page, notebook or file (by file name, title or id)',
    ]);
    expect(after.diagnostics.filter((d) => d.rule === 'unknown-key')).toEqual([]);
  });

  it('indexes Org dates, drawer tags, headline tags and body #tags', async () => {
    const dir = copy();
    await fixDiagnostics(dir, (await compile(dir, { cache: false, write: false })).diagnostics);
    const { index } = await compile(dir, { cache: false, write: false });
    const page = index.pages.find((p) => p.title.startsWith('Expression trial'))!;
    expect(page).toMatchObject({ id: '9f1c2b7e-1111-4c3a-9d2e-5c0d6a7b8e90', date: '2024-07-16' });
    expect(page.tags).toEqual(['wetlab', 'IMPORTANT', 'TEST', 'drylab']);
    const byTitle = (t: string) => index.entries.find((e) => e.title === t)!;
    expect(byTitle('Induction at 18 °C overnight')).toMatchObject({ created: '2024-07-16T11:00', metadata: { tags: ['induction', 'wetlab'] } });
    expect(byTitle('Western blot of the soluble fraction')).toMatchObject({ id: 'entry-4b2d9e0f1a3c', created: '2024-07-17T14:05' });
    expect(byTitle('Quick notes after the blot').metadata.tags).toEqual(['followup']);
    expect(byTitle('Transformer paper notes').metadata.tags).toEqual(['paper', 'paper/transformers', 'to-read']);
    expect(index.notebooks.map((n) => n.title).sort()).toEqual(['Protein Expression Lab Notebook', 'Research vault']);
    expect(index.tags['to-read']!.entries).toEqual(['entry-5a8d2c4e6f10']);
  });

  it('reports an ambiguous wikilink and a dangling Org id link with line and column', async () => {
    const dir = copy();
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'content/notebooks/vault/2024-09-more/entries'), { recursive: true });
    writeFileSync(path.join(dir, 'content/notebooks/vault/2024-09-more/README.md'), '---\ntitle: More\n---\nSee [[Scaling laws]].\n');
    // From the notebook, both notes are equally near: ambiguous. From the new page, its own entry is nearer.
    writeFileSync(path.join(dir, 'content/notebooks/vault/README.md'), '---\ntitle: Vault\n---\nStart at [[Scaling laws]].\n');
    writeFileSync(
      path.join(dir, 'content/notebooks/vault/2024-09-more/entries/001-scaling-laws.md'),
      '---\nid: entry-000000000001\ntitle: Scaling laws\n---\n',
    );
    writeFileSync(path.join(dir, TRIAL, 'entries/004-dangling.org'), '#+TITLE: D\n#+ID: entry-000000000002\n\nSee [[id:nope-123][nothing]].\n');
    writeFileSync(
      path.join(dir, TRIAL, 'entries/005-figure.md'),
      '---\nid: entry-000000000003\ntitle: F\n---\n![gel](../img/gel.png) ![missing](./gone.png)\n',
    );
    const { diagnostics } = await compile(dir, { cache: false, write: false });
    const lines = diagnostics.filter((d) => /link/.test(d.rule)).map(formatDiagnostic);
    expect(lines).toContain(`${TRIAL}/entries/004-dangling.org:4:5: warning: \`id:nope-123\` matches no entry, page, notebook or Org heading :ID:`);
    expect(lines.filter((l) => l.includes('005-figure'))).toEqual([
      `${TRIAL}/entries/005-figure.md:5:24: warning: \`./gone.png\` does not exist (looked for ${TRIAL}/entries/gone.png)`,
    ]);
    expect(lines.filter((l) => l.includes('matches 2 notes'))).toEqual([
      'content/notebooks/vault/README.md:4:10: warning: [[Scaling laws]] matches 2 notes (content/notebooks/vault/2024-08-reading/entries/003-scaling-laws.md, ' +
        'content/notebooks/vault/2024-09-more/entries/001-scaling-laws.md); it links to content/notebooks/vault/2024-08-reading/entries/003-scaling-laws.md — write a path to choose',
    ]);
  });

  it('reports a #Heading or #^block that the linked note does not have, and finds those it has (markup, setext, case)', async () => {
    const dir = copy();
    const { writeFileSync } = await import('node:fs');
    const vault = 'content/notebooks/vault/2024-08-reading/entries';
    writeFileSync(
      path.join(dir, vault, '005-methods.md'),
      '---\nid: entry-000000000005\ntitle: Methods\n---\n## The `lr` *schedule*\n\nWarm up. ^warmup\n\nData sets\n---------\n\n```\n# not a heading\n```\n',
    );
    writeFileSync(
      path.join(dir, vault, '006-links.md'),
      [
        '---\nid: entry-000000000006\ntitle: Links\n---',
        'Fine: [[Methods#The lr schedule]], [[005-methods#data sets]], ![[Methods#^warmup]], [[#Mine]].',
        'Missing: [[Methods#Ablations]] and ![[Methods#^cooldown]] and [[#Yours]] and [[Methods#not a heading]].',
        '',
        '## Mine',
        '%%[[Methods#In a comment]]%%',
      ].join('\n'),
    );
    const { diagnostics } = await compile(dir, { cache: false, write: false });
    const lines = diagnostics.map(formatDiagnostic).filter((l) => l.includes('006-links'));
    const methods = `${vault}/005-methods.md`;
    expect(lines).toEqual([
      `${vault}/006-links.md:6:10: warning: [[Methods#Ablations]]: ${methods} has no heading “Ablations” (its headings: The lr schedule, Data sets)`,
      `${vault}/006-links.md:6:36: warning: ![[Methods#^cooldown]]: ${methods} has no block ^cooldown (a paragraph ending in \` ^cooldown\`)`,
      `${vault}/006-links.md:6:63: warning: [[#Yours]]: this note has no heading “Yours” (its headings: Mine)`,
      `${vault}/006-links.md:6:78: warning: [[Methods#not a heading]]: ${methods} has no heading “not a heading” (its headings: The lr schedule, Data sets)`,
    ]);
  });
});
