/**
 * The compiler: discover → parse → validate → summarize → link → derive →
 * assemble → emit. Independent of Astro; the site, the CLI and `lab diff` all
 * call it.
 *
 * Incremental in three steps. Nothing changed (same file stamps): read one small
 * summary and stop. Some files changed: parse only those, link and derive the
 * whole journal from the cached summaries (small facts, not documents), and
 * rewrite only the index shards whose signature changed, taking the unchanged
 * entries' JSON from the cache as strings. A long-lived process (dev server,
 * SDK) keeps all of it in memory between runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_VERSION, CompileState, type CompileSummary, folderOf, loadSummary, loadTitleKeys } from './cache.ts';
import type { EntryTypes } from './entry-types.ts';
import { readIndex } from './index-file.ts';
import type { CompileResult, Entry, JournalIndex, LineageGraph } from './model.ts';
import { notesEdit } from './notes-edit.ts';
import { OwnStore } from './own-store.ts';
import { loadSummarizer, type Summarizer } from './pipeline.ts';
import { rebuild, saveAll, scanFiles, type Warm } from './rebuild.ts';
import type { SessionsCompiler } from './services.ts';
import { quickChange, spliceOutputs } from './splice.ts';
import { type DiscoveredFile, discover } from './stages/discover.ts';
import type { SourceKind } from './stages/parse.ts';

export { compileSources } from './compile-sources.ts';

export interface CompileOptions {
  /** Write `.lab/index.json`, its shards and `.lab/lineage.json` (default true). */
  write?: boolean;
  /** Use and update the caches (default true). */
  cache?: boolean;
  /**
   * Entry types to accept, with their input checks (the SDK passes the integration registry's).
   * Without it any `type` is accepted and inputs are not checked.
   */
  entryTypes?: EntryTypes;
  /** Compiles `lab/` into session summaries; without it the last compiled summaries are kept. */
  sessions?: SessionsCompiler;
}

const warm = new Map<string, Warm>();

/** Compiles the workspace at `root` from disk, incrementally. */
export async function compile(root: string, options: CompileOptions = {}): Promise<CompileResult> {
  root = path.resolve(root);
  const useCache = options.cache ?? true;
  const write = options.write ?? true;
  const entryTypes = options.entryTypes;
  const typesKey = entryTypes?.key ?? '*';
  const found = await discover(root);
  const byFolder = groupByFolder(found.files);
  const folders = folderFingerprints(byFolder);
  const layout = found.diagnostics.map((d) => `${d.file}\0${d.rule}`).join('\n');
  // Without a session compiler nothing is compiled from lab/: its fingerprint must not claim otherwise.
  const sessionsKey = options.sessions ? fingerprintOf(found.sessionFiles, 'sessions') : 'not compiled';
  const fingerprint = fingerprintOf(found.sessionFiles, `${typesKey}\n${sessionsKey}\n${layout}\n${[...folders].map(([f, h]) => `${f}\0${h}`).join('\n')}`);
  const indexFile = path.join(root, '.lab/index.json');

  // Compiling without writing (`lab history`) must not move the caches ahead of `.lab/`.
  const hot = useCache && write ? warm.get(root) : undefined;
  const loaded = hot?.summary ?? (useCache ? await loadSummary(root) : null);
  const last = loaded?.typesKey === typesKey ? loaded : null;
  if (last?.fingerprint === fingerprint && existsSync(indexFile)) {
    if (hot) return again(hot.result);
    if (write) return lazyResult(root, last, { ...last.stats, parsed: 0, reused: last.stats.parsed + last.stats.reused, skipped: true });
  }

  const state = hot?.state ?? new CompileState(useCache ? root : null, typesKey);
  const own = hot?.own ?? new OwnStore(useCache ? root : null);
  const parsed = hot?.parsed ?? new Map<string, Entry[]>();
  // Only folders whose fingerprint moved can hold an edit.
  const touched = new Set([...folders.keys(), ...Object.keys(last?.folders ?? {})].filter((f) => last?.folders[f] !== folders.get(f)));
  state.load(touched);
  const inTouched = [...touched].sort().flatMap((f) => byFolder.get(f) ?? []);
  const scan = scanFiles(root, state, inTouched);
  // Every cached source has a stamp, so the stamps alone say what disappeared.
  const present = new Set(inTouched.map((f) => f.path));
  const removed = [...state.files.keys()].filter((p) => !present.has(p) && touched.has(folderOf(p)));

  const summarizers = new Map<boolean, Summarizer>();
  const summarizerFor = async (kinds: SourceKind[]) => {
    const withPages = kinds.includes('page');
    if (!summarizers.has(withPages)) summarizers.set(withPages, await loadSummarizer(entryTypes, withPages));
    return summarizers.get(withPages)!;
  };
  // Notes-only edits first: if every edit is one, the parsers are never loaded.
  const cheap = scan.changed.map(({ file, text, hash }) => {
    const before = state.records.get(file.path);
    return file.kind === 'entry' && before ? notesEdit(before, own.get(file.path, before.hash), text, hash) : null;
  });
  const rest = scan.changed.filter((_, i) => !cheap[i]);
  const summarize = rest.length ? await summarizerFor(rest.map((c) => c.file.kind as SourceKind)) : undefined;
  const edits = scan.changed.map(({ file, text, hash }, i) => {
    const s = cheap[i] ?? summarize!(file.path, file.kind as SourceKind, text, hash);
    return { file, before: state.records.get(file.path), after: s.record, ownJson: s.ownJson };
  });
  for (const e of edits) {
    state.setRecord(e.after);
    if (e.ownJson) own.set(e.file.path, e.after.hash, e.ownJson);
  }

  // The quick way: only entries' own fields (and maybe titles) changed, so only their index lines (and lineage nodes) do.
  const quick =
    write &&
    useCache &&
    last &&
    !removed.length &&
    !scan.added &&
    !scan.inputsChanged &&
    existsSync(indexFile) &&
    last.sessions?.fingerprint === sessionsKey &&
    last.layout === layout &&
    edits.every((e) => e.file.kind === 'entry' && e.before && e.ownJson && quickChange(e.before, e.after)) &&
    (await spliceOutputs(
      root,
      edits.map((e) => ({ before: e.before!, after: e.after, ownJson: e.ownJson! })),
      () => hot?.titleKeys ?? loadTitleKeys(root),
    ));
  if (quick) {
    for (const file of quick) parsed.delete(file);
    const stats = { ...last.stats, parsed: edits.length, reused: last.stats.parsed + last.stats.reused - edits.length, skipped: false };
    // A patched file no longer has the bytes its recorded signature stands for: the next full rebuild must write it.
    const outputs = Object.fromEntries(Object.entries(last.outputs).filter(([file]) => !quick.includes(file)));
    const summary: CompileSummary = { ...last, fingerprint, folders: Object.fromEntries(folders), stats, outputs };
    const result = lazyResult(root, summary, stats, parsed);
    const kept: Warm = { state, own, summary, result, parsed, titleKeys: hot?.titleKeys };
    await saveAll(root, kept);
    warm.set(root, kept);
    return result;
  }
  const built = await rebuild(root, {
    found,
    state,
    own,
    parsed,
    changed: edits.map((e) => e.file.path),
    summarizerFor,
    write,
    last,
    fingerprint,
    folders,
    layout,
    sessionsKey,
    typesKey,
    entryTypes,
    sessions: options.sessions,
    lazy: (summary, stats) => lazyResult(root, summary, stats, parsed),
  });
  if (useCache && write) {
    await saveAll(root, built);
    warm.set(root, built);
  }
  return built.result;
}

/** The last result again, for a rebuild with nothing to do. */
function again(result: CompileResult): CompileResult {
  const { stats } = result;
  return {
    get index() {
      return result.index;
    },
    lineage: result.lineage,
    diagnostics: result.diagnostics,
    stats: { ...stats, parsed: 0, reused: stats.parsed + stats.reused, skipped: true },
  };
}

/**
 * The files of each cache folder, in order. The list is sorted, so a folder's
 * files are consecutive: the folder is worked out once per directory.
 */
function groupByFolder(files: DiscoveredFile[]): Map<string, DiscoveredFile[]> {
  const groups = new Map<string, DiscoveredFile[]>();
  let dir = '';
  let group: DiscoveredFile[] = [];
  for (const f of files) {
    const slash = f.path.lastIndexOf('/');
    if (slash !== dir.length || !f.path.startsWith(dir)) {
      dir = f.path.slice(0, slash);
      // A notebook folder's own files may come before and after its pages' files.
      const folder = folderOf(f.path);
      let existing = groups.get(folder);
      if (!existing) groups.set(folder, (existing = []));
      group = existing;
    }
    group.push(f);
  }
  return groups;
}

/**
 * Per cache folder (sorted), a hash of its files' (path, size, mtime). The
 * numbers are hashed as their bytes: turning 100,000 mtimes into text cost more
 * than the hashing.
 */
function folderFingerprints(byFolder: Map<string, DiscoveredFile[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of [...byFolder.keys()].sort()) {
    const files = byFolder.get(folder)!;
    const numbers = new Float64Array(files.length * 2);
    let paths = '';
    files.forEach((f, i) => {
      paths += `${f.path}\n`;
      numbers[2 * i] = f.size;
      numbers[2 * i + 1] = f.mtimeMs;
    });
    out.set(folder, createHash('sha1').update(paths).update(new Uint8Array(numbers.buffer)).digest('hex'));
  }
  return out;
}

/** Hash of files' (path, size, mtime) and a salt: equal fingerprints mean nothing to do. */
function fingerprintOf(files: DiscoveredFile[], salt: string): string {
  const h = createHash('sha256').update(`${CACHE_VERSION}\n${salt}\n`);
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

/**
 * A result whose index and lineage are read from `.lab/` only if someone asks.
 * `parsed` keeps parsed shards for the next compile in this process.
 */
function lazyResult(root: string, summary: CompileSummary, stats: CompileResult['stats'], parsed?: Map<string, Entry[]>): CompileResult {
  let index: JournalIndex | undefined;
  let lineage: LineageGraph | undefined;
  return {
    get index() {
      return (index ??= readIndex(root, parsed));
    },
    get lineage() {
      return (lineage ??= JSON.parse(readFileSync(path.join(root, '.lab/lineage.json'), 'utf8')) as LineageGraph);
    },
    diagnostics: summary.diagnostics,
    stats,
  };
}
