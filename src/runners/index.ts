/**
 * The runner's public SDK surface (re-exported from src/sdk/index.ts):
 *
 *   import { executeEntry, registerIntegration } from 'codex-lab-journal';
 *   registerIntegration({ name: 'echo', inputsSchema: z.object({ text: z.string() }),
 *     async execute(inputs, ctx) { ctx.log('stdout', inputs.text); return { outputs: { text: inputs.text } }; } });
 *   const result = await executeEntry('content/notebooks/nb/page/entries/001-echo.md');
 */
export { executeEntry, RunInterrupted, RunTimeout, type ExecuteOptions } from './engine.ts';
export { runMany, type RunManyOptions } from './run-many.ts';
export { selectEntries, type Selection } from './select.ts';
export { attachFiles, type AttachResult } from './attach.ts';
export { registerIntegration, knownIntegrationTypes, loadIntegration, canonicalType } from './registry.ts';
// The integrations' input checks as the compiler receives them, and as a run applies them.
export { registryEntryTypes, checkInputs } from './input-checks.ts';
export { BlobStore, type StoredBlob } from './blobs.ts';
export { applyRunnerValues, type RunnerValues, type EntryFormat } from './write-back.ts';
export { RunFailure, type Integration, type IntegrationResult, type RunContext, type ArtifactInput, type Progress, type StaticCheckFiles } from './types.ts';
export type { Reporter, RunResult, RunOutcome } from './reporter.ts';
export type { StandardSchemaV1 } from './standard-schema.ts';
