/**
 * Codex lab journal — the TypeScript SDK. Everything the `lab` CLI does, as a library.
 *
 * ```ts
 * import { openWorkspace } from 'codex-lab-journal';
 * const ws = await openWorkspace('.');
 * const page = await ws.page('learning-rate-sweep');
 * const entry = await page.createEntry('command', { title: 'Baseline', params: { lr: 0.001 } });
 * const variation = await entry.createVariation({ title: 'Lower lr', overrides: ['lr=0.0003'] });
 * ```
 */

export type { ArchiveOptions, ArchiveReport } from '../archive/archive.ts';
// Archival, and export/import (.eln, zip).
export { archiveJournal } from '../archive/archive.ts';
export type { RestoreResult } from '../archive/restore.ts';
export { restoreEntry } from '../archive/restore.ts';
export type { CompileOptions } from '../core/compile.ts';
export type { Diagnostic, Severity } from '../core/diagnostics.ts';
export { formatDiagnostic, LabError, UsageError } from '../core/diagnostics.ts';
export type { EntryTypes, InputChecks, InputIssue } from '../core/entry-types.ts';
export { readIndex } from '../core/index-file.ts';
export type { LineageNode, LineageTree } from '../core/lineage-query.ts';
export type { CompileResult, Entry, EntryDerived, EntryOwn, JournalIndex, LineageGraph, Notebook, Page, SourceRef } from '../core/model.ts';
export * from '../core/schema/index.ts';
export type { SearchFilters, SearchHit } from '../core/search.ts';
export type { EntryTypeInfo, SessionsCompiler, WorkspaceServices } from '../core/services.ts';
export type { ExportOptions } from '../exchange/export.ts';
export { exportJournal } from '../exchange/export.ts';
export type { ExportResult } from '../exchange/export-eln.ts';
export type { ImportReport } from '../exchange/import.ts';
export { importFile } from '../exchange/import.ts';
export type { InsightsOptions, InsightsReport } from '../insights/analyze.ts';
// Insights (parameter effects, summaries, suggestions) and sweeps (variations keyed by inputs hash).
export { analyzeEntries } from '../insights/analyze.ts';
export type { Effect } from '../insights/effects.ts';
export { existingHashes, InputsHasher } from '../insights/inputs-hashes.ts';
export type { SweepPointResult, SweepReport, SweepRequest } from '../insights/sweep.ts';
export { createSweep } from '../insights/sweep.ts';
export { parseSweepConfig, readSweepConfig } from '../insights/sweep-config.ts';
export { parseOverride, rangeValues } from '../insights/sweep-grammar.ts';
// Running entries: the engine, the integration registry and the blob store.
export * from '../runners/index.ts';
export type { LabServer, ServeOptions } from '../serve/server.ts';
export type { InitOptions, InitResult } from './init.ts';
export { initJournal } from './init.ts';
// Opening and compiling through the SDK wires in the integrations, sessions and the runner.
export { compile, compileSources, journalServices, openWorkspace } from './journal.ts';
export type { CreateEntryOptions } from './workspace.ts';
export { EntryHandle, findWorkspaceRoot, NotebookHandle, PageHandle, Workspace } from './workspace.ts';
