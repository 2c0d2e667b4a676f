/**
 * The site's records (one per notebook, page and entry, plus `meta`), kept out of Astro's data
 * store. Astro serializes its whole store on every build, inlines it into the build's server code
 * as one string, bundles that, and parses it again before the first page renders: at 10,000
 * entries that was 15 MB handled four times and several seconds of every rebuild, however little
 * changed. The loader (src/site/loader.ts) keeps the records here instead, with the digest of what
 * each was made from, and puts only their combined digest in Astro's store, so that in `astro dev`
 * the pages (through src/site/journal.ts) still reload when the journal changes.
 *
 * In one process (a build, the dev server) the pages take the loader's records from memory; a
 * process that did not load them reads `.lab/site/records.json`, which also carries the records
 * to the next build.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/fs/atomic.ts';
import type { JournalRecord } from './types.ts';

/** A record and the digest of what it was made from: equal digests, equal records (the loader keeps the record). */
export interface StoredRecord {
  digest: string;
  data: JournalRecord;
}

/** The one record the loader puts in Astro's store: `{ digest }` of the records kept here. */
export const RECORDS_ID = 'records';

/** Bumped when the file's layout changes; an older file is ignored (every record is made again). */
const FILE_VERSION = 1;
const LIVE = Symbol.for('codex-lab.site-records');

interface Live {
  root: string;
  digest: string;
  records: Map<string, StoredRecord>;
}

function recordsFile(root: string): string {
  return path.join(root, '.lab', 'site', 'records.json');
}

function live(root: string): Live | undefined {
  const value = (globalThis as Record<symbol, Live | undefined>)[LIVE];
  return value?.root === root ? value : undefined;
}

/** The records the last load kept: from memory in the same process, else from the file; empty if neither. */
export function loadRecords(root: string): Map<string, StoredRecord> {
  const kept = live(root);
  if (kept) return new Map(kept.records);
  return readFile(root)?.records ?? new Map();
}

/**
 * Keeps `records` for the pages and the next load; returns their combined digest, which changes
 * whenever one record does. The file is written (atomically) only when its digest is another.
 */
export async function saveRecords(root: string, records: Map<string, StoredRecord>): Promise<string> {
  const ids = [...records.keys()].sort();
  const h = createHash('sha256').update(`${FILE_VERSION}\n`);
  for (const id of ids) h.update(`${id}\0${records.get(id)!.digest}\n`);
  const digest = h.digest('hex');
  // The file, not the records in memory: it may have been deleted since they were saved.
  if (readDigest(root) !== digest) {
    // The digest first, so that a reader checking it need not parse the records.
    const lines = ids.map((id) => JSON.stringify([id, records.get(id)!.digest, records.get(id)!.data]));
    const text = `{"version":${FILE_VERSION},"digest":${JSON.stringify(digest)},"records":[\n${lines.join(',\n')}\n]}\n`;
    await writeFileAtomic(recordsFile(root), text, { durable: false });
  }
  (globalThis as Record<symbol, Live>)[LIVE] = { root, digest, records };
  return digest;
}

/**
 * The records for the pages: the loader's, in memory, when it ran in this process (a build, the
 * dev server), else those it saved. Not looked up by the digest in Astro's store: in `astro dev`
 * that store is a file in the Astro project's `.astro/`, which two journals served at once from
 * one installed package share.
 */
export function readRecords(root: string): StoredRecord[] {
  const source = live(root) ?? readFile(root);
  if (!source) throw new Error(`the journal's site records (${recordsFile(root)}) are missing: build again`);
  return [...source.records.values()];
}

function readFile(root: string): { digest: string; records: Map<string, StoredRecord> } | null {
  try {
    const value = JSON.parse(readFileSync(recordsFile(root), 'utf8')) as { version: number; digest: string; records: [string, string, JournalRecord][] };
    if (value.version !== FILE_VERSION) return null;
    return { digest: value.digest, records: new Map(value.records.map(([id, digest, data]) => [id, { digest, data }])) };
  } catch {
    return null;
  }
}

function readDigest(root: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(recordsFile(root), 'r');
    const head = Buffer.alloc(200);
    const n = readSync(fd, head, 0, head.length, 0);
    return /"digest":"([0-9a-f]+)"/.exec(head.toString('utf8', 0, n))?.[1] ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
