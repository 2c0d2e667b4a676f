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
export { findWorkspaceRoot, Workspace, NotebookHandle, PageHandle, EntryHandle } from './workspace.ts';
export type { CreateEntryOptions } from './workspace.ts';
export type { ServeOptions, LabServer } from '../serve/server.ts';
// Opening and compiling through the SDK wires in the integrations, sessions and the runner.
export { compile, compileSources, journalServices, openWorkspace } from './journal.ts';
export { initJournal } from './init.ts';
export type { InitOptions, InitResult } from './init.ts';
export type { EntryTypes, InputChecks, InputIssue } from '../core/entry-types.ts';
export type { EntryTypeInfo, SessionsCompiler, WorkspaceServices } from '../core/services.ts';
export type { CompileOptions } from '../core/compile.ts';
export { readIndex } from '../core/index-file.ts';
export { formatDiagnostic, LabError, UsageError } from '../core/diagnostics.ts';
export type { Diagnostic, Severity } from '../core/diagnostics.ts';
export type { CompileResult, Entry, EntryDerived, EntryOwn, JournalIndex, LineageGraph, Notebook, Page, SourceRef } from '../core/model.ts';
export type { SearchFilters, SearchHit } from '../core/search.ts';
export type { LineageTree, LineageNode } from '../core/lineage-query.ts';
export * from '../core/schema/index.ts';

// Running entries: the engine, the integration registry and the blob store.
export * from '../runners/index.ts';

// Archival, and export/import (.eln, zip).
export { archiveJournal } from '../archive/archive.ts';
export type { ArchiveOptions, ArchiveReport } from '../archive/archive.ts';
export { restoreEntry } from '../archive/restore.ts';
export type { RestoreResult } from '../archive/restore.ts';
export { exportJournal } from '../exchange/export.ts';
export type { ExportOptions } from '../exchange/export.ts';
export type { ExportResult } from '../exchange/export-eln.ts';
export { importFile } from '../exchange/import.ts';
export type { ImportReport } from '../exchange/import.ts';

// Insights (parameter effects, summaries, suggestions) and sweeps (variations keyed by inputs hash).
export { analyzeEntries } from '../insights/analyze.ts';
export type { InsightsOptions, InsightsReport } from '../insights/analyze.ts';
export type { Effect } from '../insights/effects.ts';
export { createSweep } from '../insights/sweep.ts';
export type { SweepReport, SweepRequest, SweepPointResult } from '../insights/sweep.ts';
export { parseOverride, rangeValues } from '../insights/sweep-grammar.ts';
export { parseSweepConfig, readSweepConfig } from '../insights/sweep-config.ts';
export { InputsHasher, existingHashes } from '../insights/inputs-hashes.ts';
