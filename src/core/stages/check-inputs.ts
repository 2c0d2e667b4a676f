/**
 * Stage 5b — check inputs: what validating one file alone cannot decide.
 * An entry without `type:` runs as its notebook's default type, known only
 * after linking; a type's static checks open the entry's input files (a
 * ComfyUI workflow). Results are memoized per entry by its file hash, type and
 * input files' hashes, so a rebuild checks only what changed.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { InputChecks } from '../entry-types.ts';
import { resolveReference } from '../inputs.ts';
import { inputDiagnostic } from './input-diagnostics.ts';
import type { LinkedEntry } from './link.ts';

export interface InputCheckContext {
  names: ReadonlySet<string>;
  checks: InputChecks;
  fileHash(rel: string): string | null;
  readText(rel: string): string | null;
  memo?(entry: LinkedEntry, key: string, run: () => Diagnostic[]): Diagnostic[];
}

/** Diagnostics of the entries whose summaries ask for a check after linking. */
export function checkEntryInputs(entries: LinkedEntry[], ctx: InputCheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of entries) {
    const later = e.facts.checks;
    if (!later || !ctx.names.has(e.type)) continue;
    const files = e.facts.input_refs.map(({ ref }) => resolveReference(e.record.path, ref));
    const key = `${e.record.hash}|${e.type}|${files.map((f) => (inside(f) ? ctx.fileHash(f) : '-')).join('|')}`;
    const run = () => check(e, later, ctx);
    out.push(...(ctx.memo ? ctx.memo(e, key, run) : run()));
  }
  return out;
}

function check(e: LinkedEntry, later: { validate: boolean; inputs_json: string }, ctx: InputCheckContext): Diagnostic[] {
  const inputs = JSON.parse(later.inputs_json) as Record<string, unknown>;
  const at = (issue: Parameters<typeof inputDiagnostic>[3]) => inputDiagnostic(e.record.path, e.record.at, e.record.line, issue);
  const issues = later.validate ? ctx.checks.validate(e.type, inputs) : [];
  if (issues.some((i) => (i.severity ?? 'error') === 'error') || !ctx.checks.inspects(e.type)) return issues.map(at);
  const read = (ref: string) => {
    // As a run resolves them: `./x` and `../x` from the entry's folder, anything else from the workspace root.
    const rel = /^\.\.?\//.test(ref) ? resolveReference(e.record.path, ref) : path.posix.normalize(ref);
    return inside(rel) ? ctx.readText(rel) : null;
  };
  return [...issues, ...ctx.checks.inspect(e.type, inputs, read)].map(at);
}

/** Inside the workspace (a reference that leaves it is reported by derive). */
function inside(rel: string): boolean {
  return rel !== '..' && !rel.startsWith('../');
}
