/**
 * The plugin contract between the runner engine and integrations. An
 * integration validates its `inputs` with a schema, then `execute`s them and
 * returns what happened; the engine does everything else (blobs, provenance,
 * write-back, secrets, interruption).
 */
import type { InputIssue, ReadInputFile } from '../core/entry-types.ts';
import type { Progress } from '../core/run-types.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

export type { InputIssue } from '../core/entry-types.ts';
export type { Progress } from '../core/run-types.ts';

/** What a static check may read: the files the inputs name. */
export interface StaticCheckFiles {
  /** A file named in the inputs (`./workflow.json`), as text; null when missing or outside the workspace. */
  read: ReadInputFile;
}

/** An output file produced by a run, before it is stored in the blob store. */
export interface ArtifactInput {
  /** Name shown to people; a relative path inside the entry folder at most (no `..`, not absolute). */
  name: string;
  /** The bytes, or `path`: a file on disk to store (streamed, not read into memory). */
  data?: Uint8Array | string;
  /** Absolute path of a file to store instead of `data`. */
  path?: string;
  /** MIME type; guessed from the name when absent. */
  type?: string;
}

/** What `execute` returns. */
export interface IntegrationResult {
  /** `failed` keeps the outputs (e.g. an HTTP 500 response) but marks the run failed. Default `completed`. */
  status?: 'completed' | 'failed';
  /** One-line reason when `status` is `failed`. */
  error?: string;
  /** Small structured results, written into the entry's `outputs`. */
  outputs?: Record<string, unknown>;
  /** Numbers to compare across runs, written into `metrics`. */
  metrics?: Record<string, unknown>;
  /** Files to store in the blob store and list under `artifacts`. */
  artifacts?: ArtifactInput[];
  /** Process exit code, when there is one (`command`). */
  exitCode?: number | null;
}

/** Everything an integration may use while it runs. */
export interface RunContext {
  /** Workspace root (absolute). */
  root: string;
  /** Absolute path of the entry file. */
  entryPath: string;
  /** Absolute path of the entry's folder: the working directory of a command, the base of `./` references. */
  entryDir: string;
  /** The entry's id. */
  entryId: string;
  /** Aborted on Ctrl-C or `--timeout`; integrations stop their work (kill processes, close sockets). */
  signal: AbortSignal;
  /** Reports progress (shown as a bar or a line). */
  progress(progress: Progress): void;
  /** Appends to a named log stream (`stdout`, `stderr`, `events`, …): shown live and stored as a blob. */
  log(stream: string, chunk: string | Uint8Array): void;
  /**
   * Resolves a file named in the inputs (`./x`, `../x`, or a workspace-relative path) to an absolute path
   * inside the workspace; throws a clear error when it escapes the workspace or does not exist.
   */
  resolveInputFile(ref: string, key: string): string;
  /** Replaces every secret value resolved from `${env:…}` with its placeholder; use on anything recorded. */
  redact(text: string): string;
}

/**
 * An integration: a plugin keyed by entry `type`. `inputsSchema` is any
 * Standard Schema (zod 4, zod/mini, valibot…); its issues become
 * `path:line:col` errors pointing at the offending key of `inputs`.
 */
export interface Integration<Inputs = Record<string, unknown>> {
  /** The entry `type` this integration runs. */
  name: string;
  /** Other `type` names that mean the same (e.g. `api_call` for `http`). */
  aliases?: string[];
  /** Version recorded in `execution.runner.version` (defaults to the lab version). */
  version?: string;
  /**
   * Keep the entry's existing outputs, metrics and artifacts when it runs
   * (`manual`: its artifacts come from `lab attach`, not from running).
   */
  keepsResults?: boolean;
  /** Validates `entry.inputs` (after `${env:…}` placeholders are resolved). */
  inputsSchema: StandardSchemaV1<unknown, Inputs>;
  /**
   * For `--dry-run`: what running would do, one line each (e.g. where parameters land), without
   * side effects. Throw a RunFailure when the inputs cannot work; its message is reported at `inputs`.
   */
  plan?(inputs: Inputs, context: Pick<RunContext, 'root' | 'entryDir' | 'resolveInputFile'>): Promise<string[]>;
  /**
   * Static checks that need more than the schema, run by `lab check` and before every run (also
   * `--dry-run`): open the input files and cross-check them with the inputs (a ComfyUI workflow's
   * nodes against the parameters). Gets the inputs as written (placeholders unresolved) once the
   * schema accepted them. Must be synchronous and must not touch the network.
   */
  check?(inputs: Record<string, unknown>, files: StaticCheckFiles): InputIssue[];
  /**
   * The `inputs:` block `lab new entry <type>` writes: YAML lines (without the `inputs:` key, two
   * spaces of indentation) with comments saying what each key is for.
   */
  inputsTemplate?: string;
  /**
   * Dotted `parameters` keys name one thing (ComfyUI's `"6.text"`), so `lab new entry --param`
   * and `lab variation --override` keep them whole instead of nesting them.
   */
  flatParameterKeys?: boolean;
  /** Runs the experiment. Throw an Error for a failed run; its message is recorded in `execution.error`. */
  execute(inputs: Inputs, context: RunContext): Promise<IntegrationResult>;
}

/** An error whose message is recorded as the entry's one-line `execution.error`. */
export class RunFailure extends Error {
  /** Outputs to keep in the entry even though the run failed. */
  outputs?: Record<string, unknown>;
  exitCode?: number | null;
  constructor(message: string, options: { outputs?: Record<string, unknown>; exitCode?: number | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RunFailure';
    this.outputs = options.outputs;
    this.exitCode = options.exitCode;
  }
}
