import { describe, expect, it } from 'vitest';
import { describeComparison } from '../../src/git/describe.ts';
import { compareEntries, runChange } from '../../src/git/entry-compare.ts';
import { isProblem, snapshotFromSource } from '../../src/git/entry-snapshot.ts';
import { entryVersions, frontmatterBlocks } from '../../src/git/entry-versions.ts';

describe('frontmatter blocks', () => {
  it('cuts frontmatter into top-level blocks, or refuses', () => {
    const b = frontmatterBlocks('---\nid: a\ntags:\n- x\n- y\ninputs:\n  p: 1\n---\nbody\n')!;
    expect([...b.keys.keys()]).toEqual(['id', 'tags', 'inputs']);
    expect(b.keys.get('tags')).toBe('tags:\n- x\n- y');
    expect(b.body).toBe('body');
    expect(frontmatterBlocks('---\nbase: &b {a: 1}\nother: *b\n---\n')).toBeNull();
    expect(frontmatterBlocks('---\n"quoted key": 1\n---\n')).toBeNull();
    expect(frontmatterBlocks('---\nid: a\nid: b\n---\n')).toBeNull();
  });
});

const V1 = `---
id: entry-1
title: Sunset
tags: [a, b]
inputs:
  workflow: ./wf.json
  parameters: { prompt: "a lake", seed: 42, cfg: 7.5, sampler: { name: euler } }
status: completed
execution:
  started_at: 2024-11-27T10:00:00Z
  duration_seconds: 12
metrics:
  aesthetic: 6.1
artifacts:
  - { name: a.png, hash: "sha256:${'a'.repeat(64)}", type: image/png }
---

Notes.
`;

const EDITS: [string, (t: string) => string][] = [
  ['parameter', (t) => t.replace('cfg: 7.5', 'cfg: 8')],
  ['re-run', (t) => t.replace('10:00:00Z', '11:00:00Z').replace('duration_seconds: 12', 'duration_seconds: 9').replace('aesthetic: 6.1', 'aesthetic: 6.5')],
  ['status only', (t) => t.replace('status: completed', 'status: failed')],
  ['tags and notes', (t) => t.replace('tags: [a, b]', 'tags:\n- a\n- c').replace('Notes.', 'Other notes.')],
  ['artifact', (t) => t.replace('artifacts:\n', `artifacts:\n  - { name: b.png, hash: "sha256:${'b'.repeat(64)}", type: image/png }\n`)],
  ['title and rating', (t) => t.replace('title: Sunset', 'title: Sunset v2\nrating: 4')],
  ['anchors and aliases', (t) => t.replace('tags: [a, b]', 'tags: &t [a, c]\nextra: *t')],
];

describe('partial parsing gives the same changes as a full parse', () => {
  for (const [name, edit] of EDITS) {
    it(name, () => {
      const before = { path: 'content/notebooks/n/p/entries/001.md', text: V1 };
      const after = { path: before.path, text: edit(V1) };
      const fast = entryVersions(before, after);
      const a = snapshotFromSource(before.path, before.text);
      const b = snapshotFromSource(after.path, after.text);
      if (isProblem(a) || isProblem(b) || isProblem(fast.before!) || isProblem(fast.after!)) throw new Error('unexpected problem');
      const expected = describeComparison(compareEntries(a, b));
      expect(expected.length).toBeGreaterThan(0);
      expect(describeComparison(compareEntries(fast.before!, fast.after!))).toEqual(expected);
    });
  }

  it('reads a new entry just enough to say whether it ran', () => {
    const v = entryVersions(null, { path: 'x.md', text: V1 });
    expect(v.after).toMatchObject({ id: 'entry-1', status: 'completed', execution: { duration_seconds: 12 } });
  });
});

describe('runChange', () => {
  const manual = (status: string) => snapshotFromSource('e.md', `---\nid: entry-m\ntitle: M\ntype: manual\nstatus: ${status}\n---\n`);

  it('does not report an unchanged, hand-completed manual entry as a run', () => {
    const before = manual('completed');
    const after = manual('completed');
    if (isProblem(before) || isProblem(after)) throw new Error('fixture does not parse');
    expect(runChange(before, after)).toBeNull();
  });

  it('reports a manual entry that became completed as its first run', () => {
    const before = manual('created');
    const after = manual('completed');
    if (isProblem(before) || isProblem(after)) throw new Error('fixture does not parse');
    expect(runChange(before, after)).toMatchObject({ kind: 'first-run', status: 'completed' });
  });
});
