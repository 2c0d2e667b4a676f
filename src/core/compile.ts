/**
 * The compiler: discover → parse → validate → link → derive → emit.
 * Independent of Astro; the site, the CLI and `lab diff` all call it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { knownIntegrationTypes } from '../runners/registry.ts';
import { CACHE_VERSION, emptyState, loadState, loadSummary, saveState, saveSummary, shardOf, type CompileState, type CompileSummary, type FileState } from './cache.ts';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { sha256 } from './hash.ts';
import { computeInputsHash } from './inputs.ts';
import type { CompileResult, Entry, JournalIndex, LineageGraph } from './model.ts';
import { classifyPath, discover, strayMessage, type DiscoveredFile } from './stages/discover.ts';
import type { ParsedSource, SourceKind } from './stages/parse.ts';
import type { Validation, Validated } from './stages/validate.ts';

/**
 * The stages that need zod, yaml and remark load only when there is work to do:
 * a rebuild with nothing changed stays a stat walk (about 0.1 s for 10,000 files).
 */
async function stages() {
  const [{ parseSource }, { validateSource }, { link }, { derive }, { emit }, { compileSessions, compileSessionSources }] = await Promise.all([
    import('./stages/parse.ts'), import('./stages/validate.ts'), import('./stages/link.ts'), import('./stages/derive.ts'),
    import('./stages/emit.ts'), import('../lab/compile-sessions.ts'),
  ]);
  return { parseSource, validateSource, link, derive, emit, compileSessions, compileSessionSources };
}

export interface CompileOptions {
  /** Write `.lab/index.json` and `.lab/lineage.json` (default true). */
  write?: boolean;
  /** Use and update the caches (default true). */
  cache?: boolean;
  /** Entry types to accept; default: the integration registry's. */
  knownTypes?: ReadonlySet<string>;
}

const SOURCE_KINDS = new Set<string>(['notebook', 'page', 'entry']);
/** Compile state of workspaces compiled in this process (dev server, SDK users). */
const warm = new Map<string, { state: CompileState; fingerprint: string; result: CompileResult }>();

/** Compiles the workspace at `root` from disk, incrementally. */
export async function compile(root: string, options: CompileOptions = {}): Promise<CompileResult> {
  root = path.resolve(root);
  const useCache = options.cache ?? true;
  const write = options.write ?? true;
  const knownTypes = options.knownTypes ?? knownIntegrationTypes();
  const typesKey = [...knownTypes].sort().join(',');
  const found = await discover(root);
  const fingerprint = fingerprintOf([...found.files, ...found.sessionFiles], `${typesKey}\n${found.diagnostics.map((d) => d.file).join('\n')}`);

  const hot = useCache ? warm.get(root) : undefined;
  if (hot && hot.fingerprint === fingerprint && (!write || existsSync(path.join(root, '.lab/index.json')))) {
    return { ...hot.result, stats: { ...hot.result.stats, parsed: 0, reused: hot.result.stats.parsed + hot.result.stats.reused, skipped: true } };
  }
  if (useCache && !hot && write) {
    const summary = await loadSummary(root);
    if (summary?.fingerprint === fingerprint && existsSync(path.join(root, '.lab/index.json'))) return lazyResult(root, summary);
  }

  const { parseSource, validateSource, emit, compileSessions } = await stages();
  const state = useCache ? (hot?.state ?? (await loadState(root))) : emptyState();
  const next = new Map<string, FileState>();
  let parsed = 0;
  let reused = 0;
  const validations: Validation[] = [];
  for (const f of found.files) {
    if (!SOURCE_KINDS.has(f.kind)) continue;
    let cached = state.files.get(f.path);
    if (!(cached?.parsed && cached.size === f.size && cached.mtimeMs === f.mtimeMs)) {
      const bytes = readFileSync(path.join(root, f.path));
      const hash = sha256(bytes);
      state.dirty.add(shardOf(f.path));
      if (cached?.parsed && cached.hash === hash) cached = { ...cached, size: f.size, mtimeMs: f.mtimeMs };
      else {
        parsed++;
        cached = { size: f.size, mtimeMs: f.mtimeMs, hash, parsed: parseSource(f.path, f.kind as SourceKind, bytes.toString('utf8')) };
      }
    } else reused++;
    if (cached.validated?.typesKey !== typesKey) {
      cached = { ...cached, validated: { typesKey, result: validateSource(cached.parsed!, knownTypes) } };
      state.dirty.add(shardOf(f.path));
    }
    next.set(f.path, cached);
    validations.push(cached.validated!.result);
  }

  const byPath = new Map(found.files.map((f) => [f.path, f]));
  const fileHash = (rel: string): string | null => {
    const f = byPath.get(rel);
    if (!f) return null;
    let s = next.get(rel) ?? state.files.get(rel);
    if (!s || s.size !== f.size || s.mtimeMs !== f.mtimeMs) {
      s = { size: f.size, mtimeMs: f.mtimeMs, hash: sha256(readFileSync(path.join(root, rel))) };
      state.dirty.add(shardOf(rel));
    }
    next.set(rel, s);
    return s.hash;
  };
  const sessions = await compileSessions(root);
  const inputsHash = (e: Entry, files: Record<string, string | null>): string => {
    const key = `${next.get(e.source.path)?.hash}|${Object.values(files).join('|')}`;
    const hit = state.inputsHashes.get(e.source.path);
    if (hit && hit[0] === key) return hit[1];
    const value = computeInputsHash(e.inputs, files);
    state.inputsHashes.set(e.source.path, [key, value]);
    return value;
  };
  const { index, lineage, diagnostics } = await runPipeline(validations, found.files, fileHash, inputsHash);
  index.sessions = sessions.sessions;
  const all = sortDiagnostics([...found.diagnostics, ...diagnostics, ...sessions.diagnostics]);
  const counts = { notebooks: index.notebooks.length, pages: index.pages.length, entries: index.entries.length, sessions: index.sessions.length };
  const result: CompileResult = { index, lineage, diagnostics: all, stats: { files: found.files.length, parsed, reused, skipped: false, counts } };

  for (const rel of state.files.keys()) if (!next.has(rel)) state.dirty.add(shardOf(rel));
  state.files = next;
  if (write) await emit(root, { index: serializeIndex(index, state), lineage: JSON.stringify(lineage), diagnostics: all }, state.written);
  if (useCache) {
    await saveState(root, state);
    if (write) await saveSummary(root, { fingerprint, diagnostics: all, stats: result.stats });
    warm.set(root, { state, fingerprint, result });
  }
  return result;
}

/**
 * The same pipeline in memory over workspace-relative paths (`content/…`,
 * `lab/raw/…`), with no disk access: used to compile a git tree for `lab diff`.
 */
export async function compileSources(
  files: { path: string; text: string | Uint8Array }[],
  options: Pick<CompileOptions, 'knownTypes'> = {},
): Promise<CompileResult> {
  const knownTypes = options.knownTypes ?? knownIntegrationTypes();
  const { parseSource, validateSource, compileSessionSources } = await stages();
  const discovered: DiscoveredFile[] = files
    .filter((f) => f.path.startsWith('content/'))
    .map((f) => ({ path: f.path, kind: classifyPath(f.path), size: f.text.length, mtimeMs: 0 }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  // Input files may be binary: they are hashed as bytes; sources are decoded as UTF-8.
  const content = new Map(files.map((f) => [f.path, f.text]));
  const asText = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
  const validations = discovered
    .filter((f) => SOURCE_KINDS.has(f.kind))
    .map((f) => validateSource(parseSource(f.path, f.kind as SourceKind, asText(content.get(f.path)!)), knownTypes));
  const { index, lineage, diagnostics } = await runPipeline(validations, discovered, (rel) => (content.has(rel) ? sha256(content.get(rel)!) : null));
  const sessions = compileSessionSources(files.filter((f) => f.path.startsWith('lab/')).map((f) => ({ path: f.path, text: asText(f.text) })));
  index.sessions = sessions.sessions;
  return {
    index, lineage, diagnostics: sortDiagnostics([...diagnostics, ...sessions.diagnostics]),
    stats: {
      files: discovered.length, parsed: validations.length, reused: 0, skipped: false,
      counts: { notebooks: index.notebooks.length, pages: index.pages.length, entries: index.entries.length, sessions: index.sessions.length },
    },
  };
}

async function runPipeline(
  validations: Validation[],
  files: DiscoveredFile[],
  fileHash: (rel: string) => string | null,
  inputsHash?: (e: Entry, files: Record<string, string | null>) => string,
) {
  const { link, derive } = await stages();
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    if (f.kind === 'stray') diagnostics.push(diagnostic(f.path, undefined, 'warning', 'outside-layout', strayMessage(f.path)));
  }
  const records: Validated[] = [];
  const sources = new Map<string, ParsedSource>();
  const inputRefs = new Map<string, { key: string; ref: string }[]>();
  const failedIds = new Set<string>();
  const failedPaths = new Set<string>();
  for (const v of validations) {
    diagnostics.push(...v.diagnostics);
    if (v.record) {
      records.push(v.record);
      sources.set(v.record.source.path, v.record.source);
      if (v.record.kind === 'entry') inputRefs.set(v.record.source.path, v.record.inputRefs);
    } else {
      const p = v.diagnostics[0]?.file;
      if (p) failedPaths.add(p);
      if (v.claimedId) failedIds.add(v.claimedId);
    }
  }
  const linked = link(records, { ids: failedIds, paths: failedPaths });
  diagnostics.push(...linked.diagnostics);
  const derived = derive(linked, {
    files: new Set(files.map((f) => f.path)),
    blobs: new Set(files.filter((f) => f.kind === 'blob').map((f) => f.path.slice(17, 81))),
    fileHash,
    positions: (e: Entry) => sources.get(e.source.path)?.positions ?? {},
    inputRefs: (e: Entry) => inputRefs.get(e.source.path) ?? [],
    inputsHash,
  });
  diagnostics.push(...derived.diagnostics);
  return { index: derived.index, lineage: derived.lineage, diagnostics };
}

/** Hash of every file's (path, size, mtime): equal fingerprints mean nothing to do. */
function fingerprintOf(files: DiscoveredFile[], typesKey: string): string {
  const h = createHash('sha256').update(`${CACHE_VERSION}\n${typesKey}\n`);
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

/**
 * `.lab/index.json` as one string. Entries are serialized once and reused while
 * their source and derived fields are unchanged, so re-emitting 10,000 entries
 * after one edit is a join, not a full JSON.stringify.
 */
function serializeIndex(index: JournalIndex, state: CompileState): string {
  const memo = new Map<string, [string, string]>();
  const entries = index.entries.map((e) => {
    const l = e.lineage;
    const key = `${state.files.get(e.source.path)?.hash}|${e.type}|${e.page_id}|${e.notebook_id}|${e.slug}|${e.stale}|${l.parent_id}|${l.variation_of}|${l.children_ids.join(',')}|${l.variation_ids.join(',')}`;
    const hit = state.entryJson.get(e.id);
    const json = hit && hit[0] === key ? hit[1] : JSON.stringify(e);
    memo.set(e.id, [key, json]);
    return json;
  });
  state.entryJson = memo;
  const rest = (k: keyof JournalIndex) => JSON.stringify(index[k]);
  return `{"version":1,"notebooks":${rest('notebooks')},"pages":${rest('pages')},"entries":[${entries.join(',')}],"tags":${rest('tags')},"sessions":${rest('sessions')}}\n`;
}

/** A result whose index and lineage are read from `.lab/` only if someone asks. */
function lazyResult(root: string, summary: CompileSummary): CompileResult {
  let index: JournalIndex | undefined;
  let lineage: LineageGraph | undefined;
  return {
    get index() {
      return (index ??= JSON.parse(readFileSync(path.join(root, '.lab/index.json'), 'utf8')) as JournalIndex);
    },
    get lineage() {
      return (lineage ??= JSON.parse(readFileSync(path.join(root, '.lab/lineage.json'), 'utf8')) as LineageGraph);
    },
    diagnostics: summary.diagnostics,
    stats: { ...summary.stats, parsed: 0, reused: summary.stats.parsed + summary.stats.reused, skipped: true },
  };
}
