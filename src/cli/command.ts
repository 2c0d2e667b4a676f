import type { ParseArgsConfig } from 'node:util';

/** Options every command accepts. */
export interface GlobalOptions {
  /** Directory to run in (`lab -C <dir>`), already resolved. */
  cwd: string;
  /** `--json`: print the returned data as JSON instead of text. */
  json: boolean;
}

/** What a command returns: data (printed with --json) and how to show it to people. */
export interface CommandResult {
  data?: unknown;
  /** Human-readable output; when absent, data is printed as JSON. */
  text?: string;
  /** 0 ok, 1 problems found; usage errors are thrown as UsageError (2). */
  exitCode?: number;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** One CLI command: a parseArgs option table, help text, and an async function returning data. */
export interface Command {
  /** One-line summary for `lab --help`. */
  summary: string;
  /** Usage line(s) and option descriptions for `lab <cmd> --help`. */
  help: string;
  options?: ParseArgsConfig['options'];
  /** Whether the command takes `--json`. */
  json?: boolean;
  run(args: ParsedArgs, global: GlobalOptions): Promise<CommandResult>;
}
