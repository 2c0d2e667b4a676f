/**
 * The runner's public SDK surface (re-exported from src/sdk/index.ts):
 *
 *   import { executeEntry, registerIntegration } from 'codex-lab-journal';
 *   registerIntegration({ name: 'echo', inputsSchema: z.object({ text: z.string() }),
 *     async execute(inputs, ctx) { ctx.log('stdout', inputs.text); return { outputs: { text: inputs.text } }; } });
 *   const result = await executeEntry('content/notebooks/nb/page/entries/001-echo.md');
 */

export { type AttachResult, attachFiles } from './attach.ts';
export { BlobStore, type StoredBlob } from './blobs.ts';
export { type ExecuteOptions, executeEntry, RunInterrupted, RunTimeout } from './engine.ts';
// The integrations' input checks as the compiler receives them, and as a run applies them.
export { checkInputs, registryEntryTypes } from './input-checks.ts';
export { canonicalType, knownIntegrationTypes, loadIntegration, registerIntegration } from './registry.ts';
export type { Reporter, RunOutcome, RunResult } from './reporter.ts';
export { type RunManyOptions, runMany } from './run-many.ts';
export { type Selection, selectEntries } from './select.ts';
export type { StandardSchemaV1 } from './standard-schema.ts';
export { type ArtifactInput, type Integration, type IntegrationResult, type Progress, type RunContext, RunFailure, type StaticCheckFiles } from './types.ts';
export { applyRunnerValues, type EntryFormat, type RunnerValues } from './write-back.ts';
