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
export { openWorkspace, findWorkspaceRoot, Workspace, NotebookHandle, PageHandle, EntryHandle } from './core/workspace.ts';
export type { CreateEntryOptions } from './core/workspace.ts';
export { compile, compileSources } from './core/compile.ts';
export type { CompileOptions } from './core/compile.ts';
export { readIndex } from './core/index-file.ts';
export { formatDiagnostic, LabError, UsageError } from './core/diagnostics.ts';
export type { Diagnostic, Severity } from './core/diagnostics.ts';
export type { CompileResult, Entry, EntryDerived, EntryOwn, JournalIndex, LineageGraph, Notebook, Page, SourceRef } from './core/model.ts';
export type { SearchFilters, SearchHit } from './core/search.ts';
export type { LineageTree, LineageNode } from './core/lineage-query.ts';
export * from './core/schema/index.ts';

// Running entries: the engine, the integration registry and the blob store.
export * from './runners/index.ts';

// Insights (parameter effects, summaries, suggestions) and sweeps (variations keyed by inputs hash).
export { analyzeEntries } from './insights/analyze.ts';
export type { InsightsOptions, InsightsReport } from './insights/analyze.ts';
export type { Effect } from './insights/effects.ts';
export { createSweep } from './insights/sweep.ts';
export type { SweepReport, SweepRequest, SweepPointResult } from './insights/sweep.ts';
export { parseOverride, rangeValues } from './insights/sweep-grammar.ts';
export { parseSweepConfig, readSweepConfig } from './insights/sweep-config.ts';
export { InputsHasher, existingHashes } from './insights/inputs-hashes.ts';
