/** The text edits behind the narrative, notes and rating endpoints change only what they name. */
import { describe, expect, test } from 'vitest';
import { replaceBody, replaceNarrativeSection, setRating } from '../../src/core/edit-source.ts';

describe('narrative sections', () => {
  const page =
    '---\ntitle: Sweep\n---\n\nIntro text.\n\n## Goals\n\nOld goal.\n\n```md\n## Observations\nnot a heading\n```\n\n## Observations\n\nSaw things.\n\n## Notes\n\nFree text.\n';

  test('replaces one section (code blocks in it included), leaving headings in code blocks and other sections alone', () => {
    const out = replaceNarrativeSection(page, 'goals', 'New goal.\n');
    expect(out).toBe(page.replace('Old goal.\n\n```md\n## Observations\nnot a heading\n```\n\n', 'New goal.\n\n'));
    const obs = replaceNarrativeSection(page, 'observations', 'Saw **more**.');
    expect(obs).toBe(page.replace('Saw things.', 'Saw **more**.'));
    expect(obs).toContain('## Observations\nnot a heading');
  });

  test('adds a missing section at the end; empties one; keeps CRLF', () => {
    expect(replaceNarrativeSection(page, 'conclusions', 'It works.')).toBe(`${page}\n## Conclusions\n\nIt works.\n`);
    expect(replaceNarrativeSection(page, 'observations', '')).toBe(page.replace('## Observations\n\nSaw things.\n\n', '## Observations\n\n'));
    const crlf = page.replace(/\n/g, '\r\n');
    expect(replaceNarrativeSection(crlf, 'observations', 'Line one\nLine two')).toBe(crlf.replace('Saw things.', 'Line one\r\nLine two'));
  });

  test('matches headings as the compiler does (case, trailing colon)', () => {
    const text = '---\ntitle: x\n---\n\n## next steps:\n\nTodo.\n';
    expect(replaceNarrativeSection(text, 'next_steps', 'Done.')).toBe('---\ntitle: x\n---\n\n## next steps:\n\nDone.\n');
  });
});

describe('notes and rating', () => {
  const md = '---\nid: e1\ntitle: T\n# how it went\nrating: 2\nstatus: completed\n---\n\nOld notes.\n';
  test('Markdown: body replaced, header byte for byte', () => {
    expect(replaceBody(md, 'md', 'New *notes*.')).toBe(md.replace('Old notes.', 'New *notes*.'));
    expect(replaceBody(md, 'md', '')).toBe('---\nid: e1\ntitle: T\n# how it went\nrating: 2\nstatus: completed\n---\n');
  });

  test('Markdown: the rating line only; added before the runner keys; removed with null', () => {
    expect(setRating(md, 'md', 5)).toBe(md.replace('rating: 2', 'rating: 5'));
    expect(setRating(md, 'md', null)).toBe(md.replace('rating: 2\n', ''));
    const none = '---\nid: e1\ntitle: T\ninputs:\n  rating: 1\nstatus: created\n---\n';
    expect(setRating(none, 'md', 3)).toBe('---\nid: e1\ntitle: T\ninputs:\n  rating: 1\nrating: 3\nstatus: created\n---\n');
  });

  test('Org: keywords kept, #+RATING set, body replaced', () => {
    const org = '#+TITLE: Photo\n#+ID: e2\n#+TYPE: manual\n\nSome notes.\n* A heading\n';
    expect(setRating(org, 'org', 4)).toBe('#+TITLE: Photo\n#+ID: e2\n#+TYPE: manual\n#+RATING: 4\n\nSome notes.\n* A heading\n');
    expect(setRating(setRating(org, 'org', 4), 'org', 1)).toContain('#+RATING: 1\n');
    expect(replaceBody(org, 'org', 'Fresh notes.')).toBe('#+TITLE: Photo\n#+ID: e2\n#+TYPE: manual\n\nFresh notes.\n');
  });
});
