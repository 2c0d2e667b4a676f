/**
 * The content loader (src/site/loader.ts) keeps a record whose sources did not change and makes
 * again one whose sources did, including sources outside the entry's own file: the SQL file a
 * `sql` entry's `query_file` names, and the blob of a log, both shown on the entry's page, and the
 * tags of the whole journal, which decide where a `#tag` in a note links, and the notes it embeds.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoaderContext } from 'astro/loaders';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { journalLoader } from '../../src/site/loader.ts';
import { readNotesHtml } from '../../src/site/notes-store.ts';
import { readRecords } from '../../src/site/records-store.ts';
import type { SiteEntry } from '../../src/site/types.ts';

let root: string;
const entryFile = () => path.join(root, 'content/notebooks/data/api-checks/entries/002-temperatures.md');

/** What the loader uses of Astro's context: a store, a digest, a logger. */
function context(): LoaderContext {
  const records = new Map<string, { id: string; data: Record<string, unknown>; digest?: string }>();
  const store = {
    get: (id: string) => records.get(id),
    set: (entry: { id: string; data: Record<string, unknown>; digest?: string }) => {
      records.set(entry.id, entry);
      return true;
    },
    keys: () => [...records.keys()],
    values: () => [...records.values()],
    delete: (id: string) => void records.delete(id),
  };
  const logger = { info() {}, warn() {}, error() {}, debug() {} };
  return {
    store,
    logger,
    generateDigest: (data: string) => createHash('sha1').update(data).digest('hex'),
  } as unknown as LoaderContext;
}

/** The entry's record after a load. */
async function load(id: string): Promise<SiteEntry | undefined> {
  await journalLoader().load(context());
  const record = readRecords(root).find((r) => r.data.kind === 'entry' && r.data.entry.id === id);
  return (record?.data as { entry: SiteEntry } | undefined)?.entry;
}

const query = async () => (await load('entry-temperatures'))?.site_query ?? null;

describe('content loader', () => {
  let previousRoot: string | undefined;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'lab-loader-'));
    cpSync(path.join(import.meta.dirname, 'fixtures', 'journal'), root, { recursive: true });
    const text = readFileSync(entryFile(), 'utf8').replace('query: "select city, temperature from readings"', 'query_file: temperatures.sql');
    writeFileSync(entryFile(), text);
    writeFileSync(path.join(path.dirname(entryFile()), 'temperatures.sql'), 'select city from readings\n');
    previousRoot = process.env.LAB_ROOT;
    process.env.LAB_ROOT = root;
  });
  afterAll(() => {
    if (previousRoot === undefined) delete process.env.LAB_ROOT;
    else process.env.LAB_ROOT = previousRoot;
    rmSync(root, { recursive: true, force: true });
  });

  test('a query file edited while its entry is not: the entry record shows the new query', { timeout: 120_000 }, async () => {
    expect(await query()).toMatch(/^SELECT\s+city\s+FROM\s+readings$/);
    writeFileSync(path.join(path.dirname(entryFile()), 'temperatures.sql'), 'select city, temperature from readings where temperature > 20\n');
    expect(await query()).toMatch(/temperature > 20/);
  });

  test("a log's blob that arrives after its entry was loaded: the entry record shows the log", { timeout: 120_000 }, async () => {
    const blob = path.join(root, 'content/blobs/a3/a3699d3f8fff483d29c81be1d48cb702c3ba63bacb21e8456fab6d492b768c6f.log');
    const away = path.join(root, 'away.log');
    renameSync(blob, away);
    expect((await load('entry-sunset-base'))?.site_logs).toEqual([{ stream: 'stdout', text: null, truncated: false }]);
    renameSync(away, blob);
    expect((await load('entry-sunset-base'))?.site_logs[0]?.text).toBe(readFileSync(blob, 'utf8'));
  });

  test('a note that another embeds is edited: the embedding note shows the new text', { timeout: 120_000 }, async () => {
    const notes = async () => readNotesHtml(root, (await load('entry-temperatures'))?.notes_ref ?? null);
    writeFileSync(entryFile(), `${readFileSync(entryFile(), 'utf8')}\n![[Initial SDXL sunset test]]\n`);
    expect(await notes()).toContain('<div class="transclude">');
    const other = path.join(root, 'content/notebooks/ai-art/landscapes/entries/001-sunset-baseline.md');
    writeFileSync(other, `${readFileSync(other, 'utf8')}\nThe lake came out too orange.\n`);
    expect(await notes()).toContain('The lake came out too orange.');
  });

  test("a #tag whose page moves (another tag takes its slug): the note links to the tag's new page", { timeout: 120_000 }, async () => {
    const notes = async () => readNotesHtml(root, (await load('entry-temperatures'))?.notes_ref ?? null);
    writeFileSync(entryFile(), `${readFileSync(entryFile(), 'utf8')}\nChecked against the #forecast.\n`);
    expect(await notes()).toContain('<a href="/tags/forecast/" class="tag">#forecast</a>');
    // `Forecast` sorts first and takes the slug `forecast`; the unchanged entry's tag becomes `forecast-2`.
    const other = path.join(root, 'content/notebooks/ai-art/landscapes/entries/001-sunset-baseline.md');
    writeFileSync(other, `${readFileSync(other, 'utf8')}\nSee #Forecast.\n`);
    expect(await notes()).toContain('<a href="/tags/forecast-2/" class="tag">#forecast</a>');
  });
});
