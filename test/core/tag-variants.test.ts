/** Tag spellings: which tags are one tag written two ways, and which spelling to keep. */
import { describe, expect, test } from 'vitest';
import { foldTag, tagVariants } from '../../src/core/tag-variants.ts';

describe('foldTag', () => {
  test.each([
    ['Benchmarks', 'benchmark'],
    ['benchmark', 'benchmark'],
    ['Queries', 'query'],
    ['batches', 'batch'],
    ['boxes', 'box'],
    ['developer experience', 'developer-experience'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['glass', 'glass'],
    ['ＳＤＸＬ', 'sdxl'],
    ['夕焼け', '夕焼け'],
  ])('%s → %s', (tag, folded) => expect(foldTag(tag)).toBe(folded));
});

test('groups spellings and keeps the most used one', () => {
  expect(tagVariants({ benchmark: 3, benchmarks: 1, Benchmark: 1, sdxl: 4, cfg: 2 })).toEqual([
    {
      keep: 'benchmark',
      variants: [
        { tag: 'Benchmark', uses: 1 },
        { tag: 'benchmarks', uses: 1 },
      ],
    },
  ]);
  expect(tagVariants({ sunset: 1, sunsets: 1 })).toEqual([{ keep: 'sunset', variants: [{ tag: 'sunsets', uses: 1 }] }]);
  expect(tagVariants({ a: 1, b: 1 })).toEqual([]);
});

test('`lab check` warns at the first use of the other spelling', async () => {
  const { tmpDir, lab } = await import('./helpers.ts');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const dir = tmpDir('lab-tags-');
  const nb = path.join(dir, 'content/notebooks/bench');
  mkdirSync(path.join(nb, 'codecs/entries'), { recursive: true });
  writeFileSync(path.join(nb, 'README.md'), '---\ntitle: Bench\ntags: [Benchmarks]\n---\n');
  writeFileSync(path.join(nb, 'codecs/README.md'), '---\ntitle: Codecs\ntags: [benchmark]\n---\n');
  writeFileSync(path.join(nb, 'codecs/entries/001-gzip.md'), '---\nid: entry-000000000001\ntitle: gzip\ntype: manual\ntags:\n  - zstd\n  - benchmark\n---\n');
  const out = await lab(['check'], dir);
  expect(out.stdout + out.stderr).toContain(
    'content/notebooks/bench/README.md:3:1: warning: tag `Benchmarks` is another spelling of `benchmark` (1 vs 2 uses)',
  );
});
