/**
 * The stages as compile() (disk, cached) and compileSources() (memory) both run
 * them. Heavy stages load on first use: a rebuild with nothing to parse never
 * loads yaml, zod or remark, and remark loads only when a page is parsed.
 */
import { type Diagnostic, diagnostic } from './diagnostics.ts';
import type { EntryTypes } from './entry-types.ts';
import type { Derived } from './stages/derive.ts';
import { type DiscoveredFile, strayMessage } from './stages/discover.ts';
import type { LinkedEntry } from './stages/link.ts';
import type { SourceKind } from './stages/parse.ts';
import type { SourceRecord, Summary } from './stages/summarize.ts';

export const SOURCE_KINDS: ReadonlySet<string> = new Set<SourceKind>(['notebook', 'page', 'entry']);

/** Parses, validates and summarizes one source file. */
export type Summarizer = (path: string, kind: SourceKind, text: string | Uint8Array, hash: string) => Summary;

/**
 * Loads the parsing stages; `withPages` also loads remark for page narratives.
 * The entry types' input checks load here too: only when something is parsed.
 */
export async function loadSummarizer(entryTypes: EntryTypes | undefined, withPages: boolean): Promise<Summarizer> {
  const [{ parseSource }, { validateSource }, { summarize }, narrative, checks] = await Promise.all([
    import('./stages/parse.ts'),
    import('./stages/validate.ts'),
    import('./stages/summarize.ts'),
    withPages ? import('./source/narrative.ts') : undefined,
    entryTypes?.load(),
  ]);
  const types = entryTypes && checks ? { names: entryTypes.names, checks } : null;
  return (path, kind, text, hash) => {
    const source = parseSource(path, kind, text, narrative?.extractNarrative);
    return summarize(source, validateSource(source, types), hash);
  };
}

export interface DeriveInputs {
  /** Summaries of the source files, sorted by path. */
  records: SourceRecord[];
  /** Every file found, sorted by path. */
  files: DiscoveredFile[];
  fileHash(rel: string): string | null;
  /** A workspace file's text (input files that static checks open); null when it does not exist. */
  readText?(rel: string): string | null;
  /** Entry types: entries whose inputs could not be checked alone (a default type, input files) are checked here. */
  entryTypes?: EntryTypes;
  /** Memoizes one entry's input checks across rebuilds (keyed by its file hash, type and input files' hashes). */
  memoChecks?(entry: LinkedEntry, key: string, run: () => Diagnostic[]): Diagnostic[];
  inputsHash?(entry: LinkedEntry, inputsJson: string, fileHashes: Record<string, string | null>): string;
}

/** Link and derive over the summaries; collects every diagnostic of the journal's files. */
export async function linkAndDerive(inputs: DeriveInputs): Promise<{ derived: Derived; diagnostics: Diagnostic[] }> {
  const [{ link }, { derive }, { checkReferences }] = await Promise.all([
    import('./stages/link.ts'),
    import('./stages/derive.ts'),
    import('./stages/references.ts'),
  ]);
  const diagnostics: Diagnostic[] = [];
  const blobs = new Set<string>();
  for (const f of inputs.files) {
    if (f.kind === 'stray') diagnostics.push(diagnostic(f.path, undefined, 'warning', 'outside-layout', strayMessage(f.path)));
    else if (f.kind === 'blob') blobs.add(f.path.slice(17, 81));
  }
  const valid: SourceRecord[] = [];
  const failedIds = new Set<string>();
  const failedPaths = new Set<string>();
  for (const r of inputs.records) {
    for (const d of r.diagnostics) diagnostics.push(d);
    if (r.notebook || r.page || r.entry) valid.push(r);
    else {
      failedPaths.add(r.path);
      if (r.claimedId) failedIds.add(r.claimedId);
    }
  }
  const linked = link(valid, { ids: failedIds, paths: failedPaths });
  diagnostics.push(...linked.diagnostics);
  diagnostics.push(...checkReferences(inputs.records, linked, inputs.files));
  const derived = derive(linked, {
    files: new Set(inputs.files.map((f) => f.path)),
    blobs,
    fileHash: inputs.fileHash,
    inputsHash: inputs.inputsHash,
  });
  diagnostics.push(...derived.diagnostics);
  const pending = derived.entries.filter((e) => e.facts.checks);
  if (pending.length && inputs.entryTypes) {
    const [{ checkEntryInputs }, checks] = await Promise.all([import('./stages/check-inputs.ts'), inputs.entryTypes.load()]);
    diagnostics.push(
      ...checkEntryInputs(pending, {
        names: inputs.entryTypes.names,
        checks,
        fileHash: inputs.fileHash,
        readText: inputs.readText ?? (() => null),
        memo: inputs.memoChecks,
      }),
    );
  }
  return { derived, diagnostics };
}
