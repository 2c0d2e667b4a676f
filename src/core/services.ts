/**
 * What the compiler and the workspace handles are given from the layers above
 * them (the SDK wires the integration registry, the session compiler and the
 * runner in): plain interfaces, so `src/core` imports nothing above it.
 */
import type { Diagnostic } from './diagnostics.ts';
import type { EntryTypes } from './entry-types.ts';
import type { SessionSummary } from './model.ts';
import type { ExecuteOptions, RunResult } from './run-types.ts';

/** Compiles the Codex session stream (`lab/raw/*.json`, `lab/stubs/*.org`) into session summaries. */
export interface SessionsCompiler {
  /** From the workspace on disk. */
  compile(root: string): Promise<{ sessions: SessionSummary[]; diagnostics: Diagnostic[] }>;
  /** From in-memory files (workspace-relative paths under `lab/`). */
  compileSources(files: { path: string; text: string }[]): Promise<{ sessions: SessionSummary[]; diagnostics: Diagnostic[] }>;
}

/** What `lab new entry <type>` needs to know about a type. */
export interface EntryTypeInfo {
  /** The canonical type name (an alias resolved). */
  name: string;
  /** YAML lines for the `inputs:` block, with comments (see the integration's `inputsTemplate`). */
  inputsTemplate?: string;
  /** The keys its `inputs` take (`workflow`, `server`, `parameters`, …); an override of one of them is not a parameter. */
  inputKeys?: string[];
  /** Dotted parameter keys name one thing (`"6.text"`: node 6's `text`), so they are never split into nested keys. */
  flatParameterKeys?: boolean;
}

/** Everything a workspace handle is given; each part is optional and has a plain fallback. */
export interface WorkspaceServices {
  /** Entry types and their input checks (default: any type accepted, inputs unchecked). */
  entryTypes?(): EntryTypes;
  /** The session compiler (default: session summaries are kept as last compiled). */
  sessions?: SessionsCompiler;
  /** Describes an entry type for `lab new entry`; null when the type is unknown. */
  describeType?(type: string): Promise<EntryTypeInfo | null>;
  /** Runs an entry and writes its results back (the runner engine). */
  execute?(file: string, options: ExecuteOptions): Promise<RunResult>;
}
