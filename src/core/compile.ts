/**
 * The compiler: discover → parse → validate → link → derive → emit.
 * Independent of Astro; the site, the CLI and `lab diff` all call it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { knownIntegrationTypes } from '../runners/registry.ts';
import { loadCache, saveCache, type CacheData } from './cache.ts';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { sha256 } from './hash.ts';
import type { CompileResult, Entry } from './model.ts';
import { classifyPath, discover, strayMessage, type DiscoveredFile } from './stages/discover.ts';
import { derive } from './stages/derive.ts';
import { emit } from './stages/emit.ts';
import { link } from './stages/link.ts';
import { parseSource, type ParsedSource, type SourceKind } from './stages/parse.ts';
import { validateSource, type Validated } from './stages/validate.ts';

export interface CompileOptions {
  /** Write `.lab/index.json` and `.lab/lineage.json` (default true). */
  write?: boolean;
  /** Use and update the parse cache in `.lab/cache/` (default true). */
  cache?: boolean;
  /** Entry types to accept; default: the integration registry's. */
  knownTypes?: ReadonlySet<string>;
}

const SOURCE_KINDS = new Set<string>(['notebook', 'page', 'entry']);

/** Compiles the workspace at `root` from disk, incrementally. */
export async function compile(root: string, options: CompileOptions = {}): Promise<CompileResult> {
  const useCache = options.cache ?? true;
  const knownTypes = options.knownTypes ?? knownIntegrationTypes();
  const found = await discover(root);
  const cache: CacheData = useCache ? await loadCache(root) : { version: 0, fingerprint: null, files: {} };
  const nextFiles: CacheData['files'] = {};
  let parsedCount = 0;
  let reused = 0;

  const sources: ParsedSource[] = [];
  await mapLimit(found.files.filter((f) => SOURCE_KINDS.has(f.kind)), 16, async (f) => {
    const hit = cache.files[f.path];
    if (hit?.parsed && hit.size === f.size && hit.mtimeMs === f.mtimeMs) {
      nextFiles[f.path] = hit;
      reused++;
      return;
    }
    const bytes = await fs.readFile(path.join(root, f.path));
    const hash = sha256(bytes);
    if (hit?.parsed && hit.hash === hash) {
      nextFiles[f.path] = { ...hit, size: f.size, mtimeMs: f.mtimeMs };
      reused++;
      return;
    }
    parsedCount++;
    nextFiles[f.path] = { size: f.size, mtimeMs: f.mtimeMs, hash, parsed: parseSource(f.path, f.kind as SourceKind, bytes.toString('utf8')) };
  });
  for (const f of found.files) if (nextFiles[f.path]?.parsed) sources.push(nextFiles[f.path].parsed!);

  const byPath = new Map(found.files.map((f) => [f.path, f]));
  const hashes = new Map<string, string>();
  const result = runPipeline(sources, found.files, knownTypes, (rel) => hashes.get(rel) ?? null, async (paths) => {
    await mapLimit(paths.filter((p) => byPath.has(p)), 16, async (rel) => {
      const f = byPath.get(rel)!;
      const hit = cache.files[rel];
      if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs) {
        nextFiles[rel] = hit;
        hashes.set(rel, hit.hash);
        return;
      }
      const hash = sha256(await fs.readFile(path.join(root, rel)));
      nextFiles[rel] = { size: f.size, mtimeMs: f.mtimeMs, hash, parsed: nextFiles[rel]?.parsed };
      hashes.set(rel, hash);
    });
  });
  const { index, lineage, diagnostics } = await result;
  const all = sortDiagnostics([...found.diagnostics, ...diagnostics]);
  if (options.write ?? true) await emit(root, { index, lineage, diagnostics: all });
  if (useCache) await saveCache(root, { version: cache.version, fingerprint: null, files: nextFiles });
  return { index, lineage, diagnostics: all, stats: { files: found.files.length, parsed: parsedCount, reused, skipped: false } };
}

/**
 * The same pipeline in memory over workspace-relative paths (`content/…`), with
 * no disk access: used to compile a git tree for `lab diff`.
 */
export async function compileSources(
  files: { path: string; text: string }[],
  options: Pick<CompileOptions, 'knownTypes'> = {},
): Promise<CompileResult> {
  const discovered: DiscoveredFile[] = files
    .filter((f) => f.path.startsWith('content/'))
    .map((f) => ({ path: f.path, kind: classifyPath(f.path), size: f.text.length, mtimeMs: 0 }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const text = new Map(files.map((f) => [f.path, f.text]));
  const sources = discovered.filter((f) => SOURCE_KINDS.has(f.kind)).map((f) => parseSource(f.path, f.kind as SourceKind, text.get(f.path)!));
  const { index, lineage, diagnostics } = await runPipeline(sources, discovered, options.knownTypes ?? knownIntegrationTypes(),
    (rel) => (text.has(rel) ? sha256(text.get(rel)!) : null), async () => {});
  return { index, lineage, diagnostics: sortDiagnostics(diagnostics), stats: { files: discovered.length, parsed: sources.length, reused: 0, skipped: false } };
}

async function runPipeline(
  sources: ParsedSource[],
  files: DiscoveredFile[],
  knownTypes: ReadonlySet<string>,
  fileHash: (rel: string) => string | null,
  prepareHashes: (paths: string[]) => Promise<void>,
) {
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    if (f.kind === 'stray') diagnostics.push(diagnostic(f.path, undefined, 'warning', 'outside-layout', strayMessage(f.path)));
  }
  const records: Validated[] = [];
  const failedIds = new Set<string>();
  const failedPaths = new Set<string>();
  for (const s of sources) {
    const v = validateSource(s, knownTypes);
    diagnostics.push(...v.diagnostics);
    if (v.record) records.push(v.record);
    else {
      failedPaths.add(s.path);
      if (v.claimedId) failedIds.add(v.claimedId);
    }
  }
  const linked = link(records, { ids: failedIds, paths: failedPaths });
  diagnostics.push(...linked.diagnostics);
  await prepareHashes([...new Set(linked.entries.flatMap((e) => e.input_files))]);
  const positions = new Map(sources.map((s) => [s.path, s.positions]));
  const blobs = new Set(files.filter((f) => f.kind === 'blob').map((f) => f.path.slice(17, 81)));
  const derived = derive(linked, {
    files: new Set(files.map((f) => f.path)),
    blobs,
    fileHash,
    positions: (e: Entry) => positions.get(e.source.path) ?? {},
  });
  diagnostics.push(...derived.diagnostics);
  return { index: derived.index, lineage: derived.lineage, diagnostics };
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
