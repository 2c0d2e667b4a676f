/**
 * The SDK's wiring: the compiler and the workspace handles (src/core) are given
 * the integration registry's entry types and checks, the session compiler and
 * the runner engine here, so core never imports the layers above it. Every
 * surface (CLI, site, SDK users) compiles and opens workspaces through this.
 */
import { type CompileOptions, compile as compileCore, compileSources as compileSourcesCore } from '../core/compile.ts';
import type { CompileResult } from '../core/model.ts';
import type { SessionsCompiler, WorkspaceServices } from '../core/services.ts';
import { registryEntryTypes, schemaKeysAt } from '../runners/input-checks.ts';
import { loadIntegration } from '../runners/registry.ts';
import { findWorkspaceRoot, Workspace } from './workspace.ts';

const sessions: SessionsCompiler = {
  compile: async (root) => (await import('../lab/compile-sessions.ts')).compileSessions(root),
  compileSources: async (files) => (await import('../lab/compile-sessions.ts')).compileSessionSources(files),
};

/** The services of a journal workspace: registry entry types, sessions, the runner. */
export const journalServices: WorkspaceServices = {
  entryTypes: registryEntryTypes,
  sessions,
  async describeType(type) {
    const integration = await loadIntegration(type);
    return integration
      ? {
          name: integration.name,
          inputsTemplate: integration.inputsTemplate,
          flatParameterKeys: integration.flatParameterKeys,
          inputKeys: schemaKeysAt(integration.inputsSchema, []),
        }
      : null;
  },
  execute: async (file, options) => (await import('../runners/engine.ts')).executeEntry(file, options),
};

/** Compiles the workspace at `root` (incremental), checking entries with the registered integrations. */
export function compile(root: string, options: CompileOptions = {}): Promise<CompileResult> {
  return compileCore(root, { entryTypes: registryEntryTypes(), sessions, ...options });
}

/** Compiles an in-memory tree of workspace-relative files (no disk, no caches), as compile() does. */
export function compileSources(
  files: { path: string; text: string | Uint8Array }[],
  options: Parameters<typeof compileSourcesCore>[1] = {},
): Promise<CompileResult> {
  return compileSourcesCore(files, { entryTypes: registryEntryTypes(), sessions, ...options });
}

/** Opens the journal workspace containing `dir` (default: the current directory). */
export async function openWorkspace(dir: string = process.cwd()): Promise<Workspace> {
  return new Workspace(findWorkspaceRoot(dir), journalServices);
}
