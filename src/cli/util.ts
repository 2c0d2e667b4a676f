/** Small helpers shared by the command modules. */
import path from 'node:path';
import { UsageError } from '../core/diagnostics.ts';
import { openWorkspace } from '../sdk/journal.ts';
import type { Workspace } from '../sdk/workspace.ts';
import type { GlobalOptions, ParsedArgs } from './command.ts';

export function workspace(global: GlobalOptions): Promise<Workspace> {
  return openWorkspace(global.cwd);
}

/** `--tags a,b` (or repeated) → ['a', 'b']. */
export function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strings(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

export function requireOne(args: ParsedArgs, what: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return args.positionals[0]!;
}

export function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** A plain-text table with padded columns. */
export function table(rows: string[][]): string {
  if (!rows.length) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
