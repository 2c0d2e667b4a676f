/**
 * How the search index is split into bundles (src/site/search-records.ts): notebooks and pages in
 * the main one, each notebook's entries in bundles of at most `maxRecords`, every record once.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JournalIndex } from '../../src/core/model.ts';
import { compile } from '../../src/sdk/journal.ts';
import type { SiteAssets } from '../../src/site/assets.ts';
import { planSearch } from '../../src/site/search-records.ts';

const assets = { thumbs: {} } as unknown as SiteAssets;
let dir: string;
let index: JournalIndex;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-search-plan-'));
  cpSync(path.join(import.meta.dirname, 'fixtures', 'journal'), dir, { recursive: true });
  index = (await compile(dir, { cache: false, write: false })).index;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planSearch', () => {
  test('one bundle per notebook, each notebook cut into pieces of at most maxRecords entries', () => {
    const whole = planSearch(index, assets, '/journal/');
    expect(whole.shards.map((s) => [s.name, s.size])).toEqual([
      ['nb-ai-art', 6],
      ['nb-data', 2],
    ]);
    const cut = planSearch(index, assets, '/journal/', 4);
    expect(cut.shards.map((s) => [s.name, s.size])).toEqual([
      ['nb-ai-art', 4],
      ['nb-ai-art-2', 2],
      ['nb-data', 2],
    ]);
    // Every entry once, in the bundles of its own notebook; notebooks and pages in the main bundle.
    const urls = cut.shards.flatMap((s) => s.records().map((r) => r.url));
    expect([...urls].sort()).toEqual(index.entries.map((e) => `/entries/${e.id}/`).sort());
    for (const shard of cut.shards) {
      const notebooks = new Set(shard.records().map((r) => r.filters?.notebook?.[0]));
      expect(notebooks.size).toBe(1);
    }
    expect(cut.main().map((r) => r.url)).toEqual([...index.notebooks.map((n) => `/notebooks/${n.id}/`), ...index.pages.map((p) => `/pages/${p.id}/`)]);
  });

  test('records carry the sort key the search page merges dates with', () => {
    const plan = planSearch(index, assets, '/journal/');
    const records = plan.shards.flatMap((s) => s.records());
    for (const r of records) expect(r.meta?.sort_date).toBe(r.sort?.date);
    const cfg9 = records.find((r) => r.url === '/entries/entry-sunset-cfg9/')!;
    expect(cfg9.content).toContain('zanzibarite');
    expect(cfg9.filters).toMatchObject({ kind: ['entry'], notebook: ['AI Art Production'] });
  });
});
