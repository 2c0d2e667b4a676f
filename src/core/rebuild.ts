/**
 * The full rebuild: every summary is loaded, the whole journal is linked and
 * derived, and each output is written only if its signature moved. Still
 * incremental where it counts: only changed files are parsed, and a shard is
 * assembled only if it must be written, from cached own-field JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_VERSION, type CompileState, type CompileSummary, type SessionsCache, saveSummary, saveTitleKeys } from './cache.ts';
import { type Diagnostic, sortDiagnostics } from './diagnostics.ts';
import type { EntryTypes } from './entry-types.ts';
import { sha256 } from './hash.ts';
import { indexFromTexts } from './index-file.ts';
import { inputsHashOf } from './inputs.ts';
import type { CompileResult, CompileStats, Entry } from './model.ts';
import type { OwnStore } from './own-store.ts';
import { linkAndDerive, SOURCE_KINDS, type Summarizer } from './pipeline.ts';
import type { SessionsCompiler } from './services.ts';
import { titleKeysOf } from './splice.ts';
import { planShards, type Shard, shardText, topText } from './stages/assemble.ts';
import type { DiscoveredFile } from './stages/discover.ts';
import { emit, type Output, textOutput } from './stages/emit.ts';
import type { LinkedEntry } from './stages/link.ts';
import type { SourceKind } from './stages/parse.ts';

/** What a long-lived process keeps of a workspace between compiles. */
export interface Warm {
  state: CompileState;
  own: OwnStore;
  summary: CompileSummary;
  result: CompileResult;
  /** Parsed index shards by file; a shard is dropped whenever it is written. */
  parsed: Map<string, Entry[]>;
  /** The titles wikilinks look up (see splice.ts); undefined until a full rebuild in this process. */
  titleKeys?: ReadonlySet<string>;
  /** Set by a full rebuild: the title keys to save with the caches. */
  newTitleKeys?: string[];
}

export interface Scan {
  /** Source files whose content changed (or that have no summary yet). */
  changed: { file: DiscoveredFile; text: Uint8Array; hash: string }[];
  /** A file appeared that was never seen. */
  added: boolean;
  /** An input file that an entry's inputs hash depends on changed. */
  inputsChanged: boolean;
}

/**
 * Compares files with their stamps. Sources with a new stamp are read and
 * hashed (an equal hash is not a change); other files are only stamped, and
 * hashed again only if something hashed them before.
 */
export function scanFiles(root: string, state: CompileState, files: DiscoveredFile[]): Scan {
  const scan: Scan = { changed: [], added: false, inputsChanged: false };
  for (const f of files) {
    const stamp = state.files.get(f.path);
    const same = stamp !== undefined && stamp[0] === f.size && stamp[1] === f.mtimeMs;
    if (SOURCE_KINDS.has(f.kind)) {
      const record = state.records.get(f.path);
      if (same && record?.hash === stamp[2]) continue;
      if (!stamp) scan.added = true;
      const bytes = readFileSync(path.join(root, f.path));
      const hash = sha256(bytes);
      state.setFile(f.path, [f.size, f.mtimeMs, hash]);
      if (record?.hash !== hash) scan.changed.push({ file: f, text: bytes, hash }); // decoded strictly by parse
    } else if (!stamp) {
      scan.added = true;
      state.setFile(f.path, [f.size, f.mtimeMs, '']);
    } else if (!same) {
      const hash = stamp[2] && sha256(readFileSync(path.join(root, f.path)));
      if (hash !== stamp[2]) scan.inputsChanged = true;
      state.setFile(f.path, [f.size, f.mtimeMs, hash]);
    }
  }
  return scan;
}

export interface RebuildInputs {
  found: { files: DiscoveredFile[]; sessionFiles: DiscoveredFile[]; diagnostics: CompileResult['diagnostics'] };
  state: CompileState;
  own: OwnStore;
  parsed: Map<string, Entry[]>;
  /** Paths parsed so far in this compile. */
  changed: string[];
  summarizerFor(kinds: SourceKind[]): Promise<Summarizer>;
  write: boolean;
  last: CompileSummary | null;
  fingerprint: string;
  folders: Map<string, string>;
  layout: string;
  sessionsKey: string;
  typesKey: string;
  entryTypes?: EntryTypes;
  sessions?: SessionsCompiler;
  lazy(summary: CompileSummary, stats: CompileStats): CompileResult;
}

export async function rebuild(root: string, x: RebuildInputs): Promise<Warm> {
  const { state, own, found } = x;
  state.loadAll();
  const byPath = new Map(found.files.map((f) => [f.path, f]));
  // Anything the folder fingerprints did not flag but the cache lacks (a lost state file).
  const rest = scanFiles(root, state, found.files);
  if (rest.changed.length) {
    const summarize = await x.summarizerFor(rest.changed.map((c) => c.file.kind as SourceKind));
    for (const { file, text, hash } of rest.changed) {
      const s = summarize(file.path, file.kind as SourceKind, text, hash);
      state.setRecord(s.record);
      if (s.ownJson) own.set(file.path, hash, s.ownJson);
    }
  }
  const changed = new Set([...x.changed, ...rest.changed.map((c) => c.file.path)]);
  const gone = [...state.files.keys()].filter((p) => !byPath.has(p));
  for (const p of gone) {
    if (state.records.get(p)?.kind === 'entry') own.delete(p);
    state.forget(p);
  }

  const fileHash = (rel: string): string | null => {
    const f = byPath.get(rel);
    if (!f) return null;
    const stamp = state.files.get(rel);
    if (stamp?.[2] && stamp[0] === f.size && stamp[1] === f.mtimeMs) return stamp[2];
    const hash = sha256(readFileSync(path.join(root, rel)));
    state.setFile(rel, [f.size, f.mtimeMs, hash]);
    return hash;
  };
  const inputsHash = (e: LinkedEntry, inputsJson: string, files: Record<string, string | null>): string => {
    const key = `${e.record.hash}|${Object.values(files).join('|')}`;
    const hit = state.inputsHashes.get(e.record.path);
    if (hit && hit[0] === key) return hit[1];
    const value = inputsHashOf(inputsJson, files);
    state.setInputsHash(e.record.path, [key, value]);
    return value;
  };
  const records = found.files.filter((f) => SOURCE_KINDS.has(f.kind)).map((f) => state.records.get(f.path)!);
  const readText = (rel: string): string | null => (byPath.has(rel) ? readFileSync(path.join(root, rel), 'utf8') : null);
  const memoChecks = (e: LinkedEntry, key: string, run: () => Diagnostic[]): Diagnostic[] => {
    const hit = state.checks.get(e.record.path);
    if (hit && hit[0] === key) return hit[1];
    const value = run();
    state.setChecks(e.record.path, [key, value]);
    return value;
  };
  const titleKeys = titleKeysOf(records);
  const { derived, diagnostics } = await linkAndDerive({
    records,
    files: found.files,
    fileHash,
    inputsHash,
    readText,
    memoChecks,
    entryTypes: x.entryTypes,
  });
  const sessions = await compileSessionsCached(root, x.last?.sessions ?? null, found.sessionFiles, x.sessionsKey, x.sessions);
  const all = sortDiagnostics([...found.diagnostics, ...diagnostics, ...sessions.diagnostics]);

  // A shard is assembled only if it must be written (or, without writing, returned).
  const outputs = new Map(Object.entries(x.last?.outputs ?? {}));
  const shards = planShards(derived);
  // The signature covers each entry's content hash: an edited entry's shard is always outdated.
  const outdated = (s: Shard) => !x.write || outputs.get(s.file) !== s.signature || !existsSync(path.join(root, '.lab', s.file));
  await restoreOwnJson(
    root,
    own,
    shards.filter(outdated).flatMap((s) => s.entries),
    x.summarizerFor,
  );
  const texts = new Map<string, string>();
  const ownJson = (e: LinkedEntry) => own.get(e.record.path, e.record.hash)!;
  const shardOutput = (s: Shard): Output => ({ file: s.file, signature: s.signature, text: () => memo(texts, s.file, () => shardText(s, ownJson)) });
  const top = topText(derived, sessions.sessions, shards);
  const counts = { notebooks: derived.notebooks.length, pages: derived.pages.length, entries: derived.entries.length, sessions: sessions.sessions.length };
  const stats: CompileStats = { files: found.files.length, parsed: changed.size, reused: records.length - changed.size, skipped: false, counts };
  const summary: CompileSummary = {
    version: CACHE_VERSION,
    typesKey: x.typesKey,
    fingerprint: x.fingerprint,
    layout: x.layout,
    folders: Object.fromEntries(x.folders),
    diagnostics: all,
    stats,
    outputs: {},
    sessions,
  };

  if (x.write) {
    const { wrote } = await emit(
      root,
      [
        textOutput('index.json', top),
        ...shards.map(shardOutput),
        textOutput('lineage.json', `${JSON.stringify(derived.lineage)}\n`),
        textOutput('diagnostics.json', `${JSON.stringify(all, null, 1)}\n`),
      ],
      outputs,
    );
    for (const file of wrote) x.parsed.delete(file);
    summary.outputs = Object.fromEntries(outputs);
    return { state, own, summary, result: x.lazy(summary, stats), parsed: x.parsed, titleKeys: new Set(titleKeys), newTitleKeys: titleKeys };
  }
  for (const s of shards) shardOutput(s).text();
  const index = indexFromTexts(top, (file) => texts.get(file)!);
  return { state, own, summary, result: { index, lineage: derived.lineage, diagnostics: all, stats }, parsed: x.parsed };
}

/** Saves the caches: changed state folders, changed own-JSON folders, the summary. */
export async function saveAll(root: string, w: Warm): Promise<void> {
  await w.own.save();
  await w.state.save();
  // Before the summary: a summary that claims the outputs must never come with older title keys.
  if (w.newTitleKeys) await saveTitleKeys(root, w.newTitleKeys);
  const { version: _, ...summary } = w.summary;
  await saveSummary(root, summary);
}

/**
 * Makes sure the own JSON of these entries is at hand: normally it is in the
 * store; if the store lost it (deleted or corrupt cache), the files are parsed again.
 */
async function restoreOwnJson(root: string, own: OwnStore, entries: LinkedEntry[], summarizerFor: (kinds: SourceKind[]) => Promise<Summarizer>) {
  const missing = entries.filter((e) => own.get(e.record.path, e.record.hash) === undefined);
  if (!missing.length) return;
  const summarize = await summarizerFor(['entry']);
  for (const e of missing) {
    const text = readFileSync(path.join(root, e.record.path), 'utf8');
    // Filed under the hash this compile linked with; if the file changed in the
    // meantime, its new stamp makes the next compile parse it again.
    own.set(e.record.path, e.record.hash, summarize(e.record.path, 'entry', text, e.record.hash).ownJson!);
  }
}

/** Session summaries, recomputed only when `lab/raw` or `lab/stubs` changed (or a doc draft appeared or vanished). */
async function compileSessionsCached(
  root: string,
  cached: SessionsCache | null,
  files: DiscoveredFile[],
  fingerprint: string,
  compiler: SessionsCompiler | undefined,
): Promise<SessionsCache> {
  // Without a compiler the last summaries stand, under their own fingerprint, for the next compile that has one.
  if (!compiler) return cached ?? { fingerprint: 'none', drafts: [], sessions: [], diagnostics: [] };
  if (cached?.fingerprint === fingerprint && cached.drafts.every(([p, exists]) => existsSync(path.join(root, p)) === exists)) return cached;
  const r = files.length ? await compiler.compile(root) : { sessions: [], diagnostics: [] };
  const drafts = r.sessions.flatMap((s): [string, boolean][] => (s.doc_draft_path ? [[s.doc_draft_path, existsSync(path.join(root, s.doc_draft_path))]] : []));
  return { fingerprint, drafts, sessions: r.sessions, diagnostics: r.diagnostics };
}

function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  if (!map.has(key)) map.set(key, make());
  return map.get(key)!;
}
