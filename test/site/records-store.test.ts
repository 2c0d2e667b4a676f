/**
 * The site's records outside Astro's data store (src/site/records-store.ts): kept in memory for
 * the pages of the same process, saved to `.lab/site/records.json` for the next build and for a
 * process that did not load them, and written only when their digest moved.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadRecords, readRecords, type StoredRecord, saveRecords } from '../../src/site/records-store.ts';
import type { JournalRecord } from '../../src/site/types.ts';

let root: string;
const LIVE = Symbol.for('codex-lab.site-records');
const file = () => path.join(root, '.lab', 'site', 'records.json');
const forgetLive = () => delete (globalThis as Record<symbol, unknown>)[LIVE];

function records(title: string): Map<string, StoredRecord> {
  const notebook = { kind: 'notebook', notebook: { id: 'nb', title } } as unknown as JournalRecord;
  const meta = { kind: 'meta', meta: { name: 'Lab' } } as unknown as JournalRecord;
  return new Map([
    ['notebook:nb', { digest: `d-${title}`, data: notebook }],
    ['meta', { digest: 'm', data: meta }],
  ]);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lab-records-'));
  forgetLive();
});
afterEach(() => {
  forgetLive();
  rmSync(root, { recursive: true, force: true });
});

describe('site records', () => {
  test('the digest moves with any record; the file is rewritten only then', async () => {
    const first = await saveRecords(root, records('One'));
    const written = statSync(file()).mtimeMs;
    writeFileSync(path.join(root, 'marker'), ''); // lets the clock move on
    expect(await saveRecords(root, records('One'))).toBe(first);
    expect(statSync(file()).mtimeMs).toBe(written);
    forgetLive();
    expect(await saveRecords(root, records('One'))).toBe(first);
    expect(statSync(file()).mtimeMs).toBe(written);
    expect(await saveRecords(root, records('Two'))).not.toBe(first);
  });

  test('a process that did not load the records reads what was saved; the next load keeps them', async () => {
    await saveRecords(root, records('Saved'));
    forgetLive();
    const titles = readRecords(root).map(({ data: r }) => (r.kind === 'notebook' ? r.notebook.title : r.kind));
    expect(titles.sort()).toEqual(['Saved', 'meta']);
    expect(loadRecords(root).get('notebook:nb')?.digest).toBe('d-Saved');
  });

  test('in memory, the pages see the last load at once; another journal in the same process is not confused with it', async () => {
    await saveRecords(root, records('Live'));
    writeFileSync(file(), 'not JSON');
    expect(readRecords(root).some(({ data: r }) => r.kind === 'notebook' && r.notebook.title === 'Live')).toBe(true);
    const other = mkdtempSync(path.join(os.tmpdir(), 'lab-records-other-'));
    try {
      expect(() => readRecords(other)).toThrow(/records.json\) are missing: build again/);
      expect(loadRecords(other).size).toBe(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
