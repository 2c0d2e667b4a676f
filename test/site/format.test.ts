/** Display helpers and the static JSON API, on small inputs with known answers. */
import { describe, expect, test } from 'vitest';
import type { Entry, JournalIndex } from '../../src/core/model.ts';
import { buildApi } from '../../src/site/api.ts';
import { normalizeBase } from '../../src/site/config.ts';
import { csvRows, delta, formatBytes, formatDate, formatDuration, paramRows, plural } from '../../src/site/format.ts';
import { thumbSize } from '../../src/site/thumbnails.ts';

describe('format', () => {
  test('dates are UTC and deterministic', () => {
    expect(formatDate('2024-11-27T10:30:00Z')).toBe('27 Nov 2024, 10:30 UTC');
    expect(formatDate('2024-11-27T12:30:00+02:00')).toBe('27 Nov 2024, 10:30 UTC');
    expect(formatDate('2024-11-27')).toBe('27 Nov 2024');
    expect(formatDate(null)).toBe('—');
  });
  test('sizes, durations, plurals', () => {
    expect(formatBytes(2048576)).toBe('2.0 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatDuration(0.4)).toBe('400 ms');
    expect(formatDuration(65)).toBe('1 min 5 s');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
  test('parameter rows mark what differs from the parent', () => {
    const rows = paramRows(
      { parameters: { seed: 7, cfg: 7.5, new: true }, workflow: './w.json' },
      { parameters: { seed: 42, cfg: 7.5 }, workflow: './w.json' },
    );
    expect(rows.map((r) => [r.key, r.changed, r.was])).toEqual([
      ['parameters.cfg', false, 7.5],
      ['parameters.new', true, undefined],
      ['parameters.seed', true, 42],
      ['workflow', false, './w.json'],
    ]);
  });
  test('metric deltas', () => {
    expect(delta(5.4, 6.1)).toEqual({ text: '−0.700 (-11.5%)', sign: -1 });
    expect(delta(2, 0)).toEqual({ text: '+2', sign: 1 });
    expect(delta('a', 1)).toBeNull();
  });
  test('CSV previews handle quotes', () => {
    expect(csvRows('a,b\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });
  test('thumbnail sizes: 400 wide, never enlarged, height in proportion', () => {
    expect(thumbSize(1024, 768)).toEqual([400, 300]);
    expect(thumbSize(300, 900)).toEqual([300, 900]);
    expect(thumbSize(1000, 333)).toEqual([400, 133]);
  });
  test('base paths', () => {
    expect(normalizeBase('my-journal')).toBe('/my-journal/');
    expect(normalizeBase('/a//b')).toBe('/a/b/');
    expect(normalizeBase(undefined)).toBe('/');
  });
});

describe('static JSON API', () => {
  const entry = (id: string, parent: string | null, children: string[]): Entry => ({
    id,
    slug: id,
    page_id: 'page-p',
    notebook_id: 'nb-n',
    title: id,
    type: 'manual',
    created: '2024-01-01',
    status: 'completed',
    inputs: {},
    outputs: {},
    metrics: {},
    logs: {},
    execution: null,
    input_files: [],
    stale: false,
    artifacts: [{ name: 'a.png', hash: `sha256:${'a'.repeat(64)}`, type: 'image/png' }],
    lineage: { parent_id: parent, children_ids: children, variation_of: null, variation_ids: [] },
    metadata: { tags: ['t'], notes: '', rating: null, archived: null },
    source: { path: `content/${id}.md`, format: 'md', line: 1, body_line: 5, key_lines: {} },
  });
  const index: JournalIndex = {
    version: 2,
    notebooks: [
      {
        id: 'nb-n',
        slug: 'n',
        title: 'N',
        description: null,
        tags: [],
        color: null,
        icon: null,
        settings: {},
        overview: '',
        page_ids: ['page-p'],
        stats: { pages: 1, entries: 3 },
        last_activity: null,
        source: { path: 'content/notebooks/n/README.md', format: 'md', line: 1, body_line: 3, key_lines: {} },
      },
    ],
    pages: [
      {
        id: 'page-p',
        slug: 'p',
        notebook_id: 'nb-n',
        title: 'P',
        date: null,
        tags: [],
        status: 'active',
        narrative: { goals: null, hypothesis: null, observations: null, conclusions: null, next_steps: null, other: null },
        entry_ids: ['a', 'b', 'c'],
        source: { path: 'content/notebooks/n/p/README.md', format: 'md', line: 1, body_line: 3, key_lines: {} },
      },
    ],
    entries: [entry('a', null, ['b']), entry('b', 'a', ['c']), entry('c', 'b', [])],
    tags: { t: { notebooks: [], pages: [], entries: ['a', 'b', 'c'] } },
    sessions: [],
  };
  const lineage = {
    nodes: [],
    edges: [
      { from: 'a', to: 'b', kind: 'derives_from' as const },
      { from: 'b', to: 'c', kind: 'derives_from' as const },
    ],
  };
  const files = new Map(
    buildApi(
      index,
      lineage,
      { blobs: { ['a'.repeat(64)]: `aa/${'a'.repeat(64)}.png` }, thumbs: { ['a'.repeat(64)]: `${'a'.repeat(64)}-400.webp` } },
      '/j/',
    ).map((f) => [f.path, JSON.parse(f.json)]),
  );

  test('mirrors the REST endpoints as files', () => {
    expect([...files.keys()]).toEqual([
      'entries/a.json',
      'entries/a/lineage.json',
      'entries/b.json',
      'entries/b/lineage.json',
      'entries/c.json',
      'entries/c/lineage.json',
      'notebooks.json',
      'notebooks/nb-n.json',
      'pages/page-p.json',
      'tags.json',
    ]);
    expect(files.get('notebooks/nb-n.json').pages[0].url).toBe('/j/pages/page-p/');
    expect(files.get('pages/page-p.json').entries.map((e: { id: string }) => e.id)).toEqual(['a', 'b', 'c']);
    expect(files.get('entries/a.json').artifacts[0].url).toBe(`/j/blobs/aa/${'a'.repeat(64)}.png`);
    expect(files.get('entries/a.json').artifacts[0].thumbnail_url).toBe(`/j/thumbs/${'a'.repeat(64)}-400.webp`);
  });
  test('lineage lists all ancestors and descendants', () => {
    const b = files.get('entries/b/lineage.json');
    expect(b.ancestors.map((e: { id: string }) => e.id)).toEqual(['a']);
    expect(b.descendants.map((e: { id: string }) => e.id)).toEqual(['c']);
    expect(files.get('entries/c/lineage.json').ancestors.map((e: { id: string }) => e.id)).toEqual(['b', 'a']);
    expect(b.edges).toHaveLength(2);
  });
});
