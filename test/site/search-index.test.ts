/**
 * The search bundles (src/site/search-index.ts), written by Pagefind itself: a second build reuses
 * every unchanged notebook's bundle byte for byte, an edit rebuilds only its own notebook's bundle,
 * and the cache keeps only the bundles in use.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { JournalIndex } from '../../src/core/model.ts';
import { compile } from '../../src/sdk/journal.ts';
import type { SiteAssets } from '../../src/site/assets.ts';
import { startSearchIndex } from '../../src/site/search-index.ts';

const assets = { thumbs: {} } as unknown as SiteAssets;
let dir: string;
let index: JournalIndex;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-search-index-'));
  cpSync(path.join(import.meta.dirname, 'fixtures', 'journal'), path.join(dir, 'journal'), { recursive: true });
  index = (await compile(path.join(dir, 'journal'), { cache: false, write: false })).index;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, relative path → contents. */
function files(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.set(path.relative(root, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), 'latin1'));
  return out;
}

async function build(journal: JournalIndex, name: string) {
  const out = path.join(dir, name);
  mkdirSync(out);
  const search = await startSearchIndex(journal, assets, '/journal/', path.join(dir, 'cache'));
  const records = await search.finish(out);
  return { records, bundles: { ...search.bundles }, shard: (s: string) => files(path.join(out, 'pagefind', 'shards', s)) };
}

test('unchanged bundles are reused, an edited notebook’s bundle alone is rebuilt', { timeout: 120_000 }, async () => {
  const first = await build(index, 'one');
  expect(first.bundles).toEqual({ built: 2, reused: 0 });
  expect(first.records).toBe(index.notebooks.length + index.pages.length + index.entries.length);

  const second = await build(index, 'two');
  expect(second.bundles).toEqual({ built: 0, reused: 2 });
  expect(second.shard('nb-ai-art')).toEqual(first.shard('nb-ai-art'));
  expect(second.shard('nb-data')).toEqual(first.shard('nb-data'));

  const edited = structuredClone(index);
  const entry = edited.entries.find((e) => e.id === 'entry-temperatures')!;
  entry.metadata.notes = `${entry.metadata.notes ?? ''}\n\nA quokka sat on the sensor.`;
  const third = await build(edited, 'three');
  expect(third.bundles).toEqual({ built: 1, reused: 1 });
  expect(third.shard('nb-ai-art')).toEqual(first.shard('nb-ai-art'));
  expect(third.shard('nb-data')).not.toEqual(first.shard('nb-data'));
  // The notebook's old bundle is dropped from the cache.
  expect(readdirSync(path.join(dir, 'cache', 'bundles'))).toHaveLength(2);
});
