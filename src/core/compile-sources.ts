/**
 * The compiler over an in-memory tree of workspace-relative paths (`content/…`,
 * `lab/raw/…`), with no disk access and no caches: `lab diff` compiles git trees
 * with it. The same stages as compile(), so both sides of a diff read alike.
 */
import { sortDiagnostics } from './diagnostics.ts';
import type { EntryTypes } from './entry-types.ts';
import { sha256 } from './hash.ts';
import { indexFromTexts } from './index-file.ts';
import type { CompileResult } from './model.ts';
import { linkAndDerive, loadSummarizer, SOURCE_KINDS } from './pipeline.ts';
import type { SessionsCompiler } from './services.ts';
import { planShards, shardText, topText } from './stages/assemble.ts';
import { classifyPath, type DiscoveredFile } from './stages/discover.ts';
import type { SourceKind } from './stages/parse.ts';

export async function compileSources(
  files: { path: string; text: string | Uint8Array }[],
  options: { entryTypes?: EntryTypes; sessions?: SessionsCompiler } = {},
): Promise<CompileResult> {
  const discovered: DiscoveredFile[] = files
    .filter((f) => f.path.startsWith('content/'))
    .map((f) => ({ path: f.path, kind: classifyPath(f.path), size: f.text.length, mtimeMs: 0 }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  // Input files may be binary: they are hashed as bytes; sources are decoded as UTF-8.
  const content = new Map(files.map((f) => [f.path, f.text]));
  const asText = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
  const sources = discovered.filter((f) => SOURCE_KINDS.has(f.kind));
  const summarize = await loadSummarizer(
    options.entryTypes,
    sources.some((f) => f.kind === 'page'),
  );
  const own = new Map<string, string>();
  const records = sources.map((f) => {
    const bytes = content.get(f.path)!;
    const s = summarize(f.path, f.kind as SourceKind, bytes, sha256(bytes));
    if (s.ownJson) own.set(f.path, s.ownJson);
    return s.record;
  });
  const { derived, diagnostics } = await linkAndDerive({
    records,
    files: discovered,
    fileHash: (rel) => (content.has(rel) ? sha256(content.get(rel)!) : null),
    readText: (rel) => (content.has(rel) ? asText(content.get(rel)!) : null),
    entryTypes: options.entryTypes,
  });
  const labFiles = files.filter((f) => f.path.startsWith('lab/')).map((f) => ({ path: f.path, text: asText(f.text) }));
  const sessions = options.sessions ? await options.sessions.compileSources(labFiles) : { sessions: [], diagnostics: [] };
  const shards = planShards(derived);
  const texts = new Map(shards.map((s) => [s.file, shardText(s, (e) => own.get(e.record.path)!)]));
  const index = indexFromTexts(topText(derived, sessions.sessions, shards), (file) => texts.get(file)!);
  const counts = { notebooks: index.notebooks.length, pages: index.pages.length, entries: index.entries.length, sessions: index.sessions.length };
  return {
    index,
    lineage: derived.lineage,
    diagnostics: sortDiagnostics([...diagnostics, ...sessions.diagnostics]),
    stats: { files: discovered.length, parsed: records.length, reused: 0, skipped: false, counts },
  };
}
