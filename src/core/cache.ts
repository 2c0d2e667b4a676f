/**
 * Compiler caches in `.lab/cache/`, all derived and safe to delete:
 * - `summary.json`: the fingerprint of every cache folder's files, the last
 *   diagnostics and what was written, so a rebuild with no change reads one small
 *   file, and a rebuild after one edit knows which folder to look in;
 * - `state/<folder>.json`, one per page folder: its files' (size, mtime,
 *   sha256) and its source files' summaries (the small facts link and derive
 *   read), so only edited files are parsed again;
 * - `own/<folder>.v8`: each entry's own fields as JSON (see own-store.ts);
 * - `title-keys.json`: the titles wikilinks look up, read only when a title
 *   edit might take the quick way (see splice.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from './diagnostics.ts';
import { writeFileAtomic } from './fs/atomic.ts';
import type { CompileStats, SessionSummary } from './model.ts';
import type { SourceRecord } from './stages/summarize.ts';

/** Bump when summaries, own fields or the index shape change: old caches are discarded. */
export const CACHE_VERSION = 14;

/** A file's identity as the caches key it: [size, mtimeMs, sha256]. */
export type FileStamp = [size: number, mtimeMs: number, hash: string];

/** Session summaries, reused while `lab/raw` and `lab/stubs` are unchanged. */
export interface SessionsCache {
  fingerprint: string;
  /** Doc-draft paths the sessions name, and whether each existed. */
  drafts: [path: string, exists: boolean][];
  sessions: SessionSummary[];
  diagnostics: Diagnostic[];
}

/** The one small file every rebuild reads first. */
export interface CompileSummary {
  version: number;
  /** The entry types validation ran with; other types re-validate everything. */
  typesKey: string;
  /** Fingerprint of every file's (path, size, mtime) and of the layout problems. */
  fingerprint: string;
  /** Files refused by discovery (symlinks out of the workspace), one per line. */
  layout: string;
  /** The same per cache folder: which folders to look in after an edit. */
  folders: Record<string, string>;
  diagnostics: Diagnostic[];
  stats: CompileStats;
  /** `.lab`-relative output file → signature of what was last written there. */
  outputs: Record<string, string>;
  sessions: SessionsCache | null;
}

/**
 * The cache folder of a workspace path: a page folder (its README, entries and
 * input files), a notebook folder (its README), or `content` for everything else.
 */
export function folderOf(rel: string): string {
  // Called for every file on every rebuild: slashes are found, not split.
  const a = rel.indexOf('/');
  if (a < 0 || !rel.startsWith('/notebooks/', a)) return a < 0 ? rel : rel.slice(0, a);
  const c = rel.indexOf('/', a + 11);
  if (c < 0) return rel.slice(0, a);
  const d = rel.indexOf('/', c + 1);
  if (d < 0) return rel.slice(0, c);
  return rel.slice(0, d);
}

const dir = (root: string) => path.join(root, '.lab', 'cache');
const folderFile = (root: string, folder: string) => path.join(dir(root), 'state', `${createHash('sha1').update(folder).digest('hex').slice(0, 16)}.json`);

interface FolderFile {
  version: number;
  typesKey: string;
  folder: string;
  files: [string, number, number, string][];
  records: SourceRecord[];
  inputsHashes: [string, string, string][];
  checks: [string, string, Diagnostic[]][];
}

/**
 * Stamps, summaries and inputs-hash memos, loaded per folder on demand and
 * saved per folder when changed.
 */
export class CompileState {
  readonly files = new Map<string, FileStamp>();
  readonly records = new Map<string, SourceRecord>();
  /** Entry path → [memo key, inputs hash]: the key is the file's hash and its input files' hashes. */
  readonly inputsHashes = new Map<string, [string, string]>();
  /** Entry path → [memo key, diagnostics] of the input checks made after linking (see stages/check-inputs.ts). */
  readonly checks = new Map<string, [string, Diagnostic[]]>();
  readonly #members = new Map<string, Set<string>>();
  readonly #loaded = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #root: string | null;
  readonly typesKey: string;

  /** `root` null: memory only. */
  constructor(root: string | null, typesKey: string) {
    this.#root = root;
    this.typesKey = typesKey;
  }

  /** Loads these folders' saved state (those not loaded yet). */
  load(folders: Iterable<string>): void {
    for (const folder of folders) {
      if (this.#loaded.has(folder)) continue;
      this.#loaded.add(folder);
      if (this.#root) this.#ingest(readFolderFile(folderFile(this.#root, folder)), folder);
    }
  }

  /** Loads every saved folder. */
  loadAll(): void {
    if (!this.#root) return;
    let names: string[] = [];
    try {
      names = readdirSync(path.join(dir(this.#root), 'state'));
    } catch {
      // no state yet
    }
    for (const name of names) {
      const data = readFolderFile(path.join(dir(this.#root), 'state', name));
      if (data && !this.#loaded.has(data.folder)) {
        this.#loaded.add(data.folder);
        this.#ingest(data, data.folder);
      }
    }
  }

  #ingest(data: FolderFile | null, folder: string): void {
    if (!data || data.folder !== folder) return;
    for (const [p, size, mtime, hash] of data.files) this.setFile(p, [size, mtime, hash], false);
    // Summaries hold validation results: they are only good for the same entry types.
    if (data.typesKey === this.typesKey) for (const r of data.records) this.setRecord(r, false);
    for (const [p, key, value] of data.inputsHashes) this.setInputsHash(p, [key, value], false);
    if (data.typesKey === this.typesKey) for (const [p, key, value] of data.checks ?? []) this.setChecks(p, [key, value], false);
  }

  setFile(rel: string, stamp: FileStamp, dirty = true): void {
    this.files.set(rel, stamp);
    this.#member(rel, dirty);
  }

  setRecord(record: SourceRecord, dirty = true): void {
    this.records.set(record.path, record);
    this.#member(record.path, dirty);
  }

  setInputsHash(rel: string, memo: [string, string], dirty = true): void {
    this.inputsHashes.set(rel, memo);
    this.#member(rel, dirty);
  }

  setChecks(rel: string, memo: [string, Diagnostic[]], dirty = true): void {
    this.checks.set(rel, memo);
    this.#member(rel, dirty);
  }

  /** Forgets a path that no longer exists (or changed kind). */
  forget(rel: string): void {
    this.files.delete(rel);
    this.records.delete(rel);
    this.inputsHashes.delete(rel);
    this.checks.delete(rel);
    this.#members.get(folderOf(rel))?.delete(rel);
    this.#dirty.add(folderOf(rel));
  }

  /** Writes the folders that changed; a folder left empty loses its file. */
  async save(): Promise<void> {
    if (!this.#root) return;
    for (const folder of [...this.#dirty].sort()) {
      const paths = [...(this.#members.get(folder) ?? [])].sort();
      const data: FolderFile = {
        version: CACHE_VERSION,
        typesKey: this.typesKey,
        folder,
        files: paths.flatMap((p): FolderFile['files'] => (this.files.has(p) ? [[p, ...this.files.get(p)!]] : [])),
        records: paths.flatMap((p) => (this.records.has(p) ? [this.records.get(p)!] : [])),
        inputsHashes: paths.flatMap((p): FolderFile['inputsHashes'] => (this.inputsHashes.has(p) ? [[p, ...this.inputsHashes.get(p)!]] : [])),
        checks: paths.flatMap((p): FolderFile['checks'] => (this.checks.has(p) ? [[p, ...this.checks.get(p)!]] : [])),
      };
      const file = folderFile(this.#root, folder);
      if (data.files.length || data.records.length) await writeFileAtomic(file, JSON.stringify(data), { durable: false });
      else await fs.rm(file, { force: true });
    }
    this.#dirty.clear();
  }

  #member(rel: string, dirty: boolean): void {
    const folder = folderOf(rel);
    let set = this.#members.get(folder);
    if (!set) this.#members.set(folder, (set = new Set()));
    set.add(rel);
    if (dirty) this.#dirty.add(folder);
  }
}

function readFolderFile(file: string): FolderFile | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as FolderFile;
    return data?.version === CACHE_VERSION && typeof data.folder === 'string' ? data : null;
  } catch {
    return null; // missing or unreadable: its files are hashed and parsed again
  }
}

export async function loadSummary(root: string): Promise<CompileSummary | null> {
  try {
    const s = JSON.parse(await fs.readFile(path.join(dir(root), 'summary.json'), 'utf8')) as CompileSummary;
    return s.version === CACHE_VERSION ? s : null;
  } catch {
    return null;
  }
}

/** The title keys saved by the last full rebuild, or null if there are none for this cache version. */
export function loadTitleKeys(root: string): ReadonlySet<string> | null {
  try {
    const data = JSON.parse(readFileSync(path.join(dir(root), 'title-keys.json'), 'utf8')) as { version: number; keys: string[] };
    return data.version === CACHE_VERSION && Array.isArray(data.keys) ? new Set(data.keys) : null;
  } catch {
    return null;
  }
}

export async function saveTitleKeys(root: string, keys: string[]): Promise<void> {
  await writeFileAtomic(path.join(dir(root), 'title-keys.json'), `${JSON.stringify({ version: CACHE_VERSION, keys })}\n`, { durable: false });
}

export async function saveSummary(root: string, summary: Omit<CompileSummary, 'version'>): Promise<void> {
  await writeFileAtomic(path.join(dir(root), 'summary.json'), JSON.stringify({ version: CACHE_VERSION, ...summary }), { durable: false });
  // The parse cache of cache versions 8 and older: large, and never read again.
  await fs.rm(path.join(dir(root), 'parse'), { recursive: true, force: true });
}
