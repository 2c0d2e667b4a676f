/**
 * Problems are data, not exceptions: every stage attaches them to a file and a
 * position so one run reports all of them (the unified/vfile way).
 */

/** How bad a problem is: errors make `lab check` exit 1, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in a user's file. Lines and columns are 1-based. */
export interface Diagnostic {
  /** Workspace-relative path with forward slashes. */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  /** Stable machine name of the check, e.g. `yaml-syntax`, `duplicate-id`. */
  rule: string;
  message: string;
}

/** A source position; 1-based. */
export interface Position {
  line: number;
  column: number;
}

export function diagnostic(file: string, pos: Position | undefined, severity: Severity, rule: string, message: string): Diagnostic {
  return { file, line: pos?.line ?? 1, column: pos?.column ?? 1, severity, rule, message };
}

/** `path:line:col: severity: message` — the format editors and CI annotate from. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${displayPath(d.file)}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/**
 * A path as it can be printed before `:line:col`: one with a control character
 * (a newline would start a fake problem line) or a `:N` of its own (which a
 * reader would take for the position) is printed JSON-quoted.
 */
export function displayPath(file: string): string {
  return /[\u0000-\u001f\u007f]|:\d/.test(file) ? JSON.stringify(file) : file;
}

/** Deterministic order: by file, then position, then rule, then message. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.message, b.message));
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An error meant for the user, not a bug: the CLI prints its message (no stack)
 * and exits with `exitCode` (1 = problems, 2 = usage).
 */
export class LabError extends Error {
  exitCode: number;
  diagnostics: Diagnostic[];
  constructor(message: string, options: { exitCode?: number; diagnostics?: Diagnostic[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LabError';
    this.exitCode = options.exitCode ?? 1;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** A usage error (bad flags/arguments): exit code 2. */
export class UsageError extends LabError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}
