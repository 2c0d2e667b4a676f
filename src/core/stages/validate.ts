/**
 * Stage 3 — validate: check each parsed file against its zod schema and turn
 * every issue into a positioned diagnostic (never thrown, all of them).
 */
import type { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { ENTRY_KEYS, entrySchema, type EntryFrontmatter } from '../schema/entry.ts';
import { NOTEBOOK_KEYS, notebookSchema, type NotebookFrontmatter } from '../schema/notebook.ts';
import { PAGE_KEYS, pageSchema, type PageFrontmatter } from '../schema/page.ts';
import { findFileReferences } from '../inputs.ts';
import { isForeignKey } from '../source/foreign-keys.ts';
import { positionOf } from '../source/positions.ts';
import type { ParsedSource } from './parse.ts';

export type Validated =
  | { kind: 'notebook'; source: ParsedSource; data: NotebookFrontmatter }
  | { kind: 'page'; source: ParsedSource; data: PageFrontmatter }
  | { kind: 'entry'; source: ParsedSource; data: EntryFrontmatter; inputRefs: { key: string; ref: string }[] };

const SCHEMAS = { notebook: notebookSchema, page: pageSchema, entry: entrySchema } as const;
const KEYS: Record<string, readonly string[]> = { notebook: NOTEBOOK_KEYS, page: PAGE_KEYS, entry: ENTRY_KEYS };

/**
 * Validates one file. Returns the typed record (or null when it cannot be used)
 * and its diagnostics. `knownTypes` comes from the integration registry.
 */
/** The outcome of validating one file. */
export interface Validation {
  record: Validated | null;
  diagnostics: Diagnostic[];
  /** The id the file claims even when invalid (so references to it are not reported twice). */
  claimedId: string | null;
}

export function validateSource(source: ParsedSource, knownTypes: ReadonlySet<string>): Validation {
  const diagnostics: Diagnostic[] = source.problems.map((p) => diagnostic(source.path, p, 'error', p.rule, p.message));
  const data = source.data;
  const claimedId = data && typeof data.id === 'string' ? data.id : null;
  if (source.problems.length || data === null) return { record: null, diagnostics, claimedId };
  if (!source.hasHeader) {
    const what = source.format === 'org' ? 'Org header (#+TITLE: …)' : 'YAML frontmatter block (--- … ---)';
    diagnostics.push(diagnostic(source.path, { line: 1, column: 1 }, 'error', 'missing-frontmatter', `${source.kind} has no ${what}`));
    return { record: null, diagnostics, claimedId };
  }
  const schema = SCHEMAS[source.kind];
  const result = (schema as z.ZodType).safeParse(data, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) diagnostics.push(issueToDiagnostic(source, issue));
  }
  for (const key of Object.keys(data)) {
    if (!KEYS[source.kind].includes(key) && !isForeignKey(key)) {
      const guess = closest(key, KEYS[source.kind]);
      diagnostics.push(
        diagnostic(source.path, pos(source, [key]), 'warning', 'unknown-key',
          `unknown ${source.kind} key \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}; it is kept but not used`),
      );
    }
  }
  if (source.kind === 'entry' && typeof data.type === 'string' && !knownTypes.has(data.type)) {
    diagnostics.push(
      diagnostic(source.path, pos(source, ['type']), 'error', 'unknown-type',
        `unknown entry type \`${data.type}\`; known types: ${[...knownTypes].sort().join(', ')}`),
    );
  }
  const valid = result.success ? (result.data as Record<string, unknown>) : salvage(schema, data, source);
  if (!valid) return { record: null, diagnostics, claimedId };
  const inputRefs = source.kind === 'entry' ? findFileReferences(valid.inputs ?? {}) : [];
  return { record: { kind: source.kind, source, data: valid, inputRefs } as Validated, diagnostics, claimedId };
}

/**
 * Keeps the keys that are valid on their own so one bad key does not drop the
 * whole record (its children would otherwise look orphaned). The problems are
 * still reported; a record without a usable id is dropped.
 */
function salvage(schema: z.ZodObject, data: Record<string, unknown>, source: ParsedSource): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (key in data && (field as z.ZodType).safeParse(data[key]).success) out[key] = data[key];
  }
  if (source.kind === 'entry' && typeof out.id !== 'string') return null;
  if (typeof out.title !== 'string') out.title = source.path.split('/').at(source.kind === 'entry' ? -1 : -2)!.replace(/\.(md|org)$/i, '');
  return out;
}

function pos(source: ParsedSource, path: readonly PropertyKey[]) {
  const p = positionOf(source.positions, path);
  return p ? { line: p[0], column: p[1] } : { line: source.line, column: 1 };
}

/** Turns a zod issue into a message that names the key and says what is expected. */
function issueToDiagnostic(source: ParsedSource, issue: z.core.$ZodIssue): Diagnostic {
  const keyPath = issue.path.map(String).join('.');
  const present = positionOf(source.positions, issue.path) !== undefined && source.positions[keyPath] !== undefined;
  if (!present && issue.code === 'invalid_type' && issue.input === undefined) {
    const rule = issue.path[0] === 'id' ? 'missing-id' : 'missing-key';
    const hint = issue.path[0] === 'id' && source.kind === 'entry' ? ' (run `lab check --fix` to assign one)' : '';
    const message = issue.path[0] === 'title' || issue.path[0] === 'id'
      ? `missing required key \`${keyPath}\`${hint}`
      : `\`${keyPath}\` ${issue.message}`;
    return diagnostic(source.path, { line: source.line, column: 1 }, 'error', rule, message);
  }
  const got = describe(issue.input);
  const message = `\`${keyPath || '(frontmatter)'}\` ${issue.message}${got ? ` (got ${got})` : ''}`;
  return diagnostic(source.path, pos(source, issue.path), 'error', 'invalid-value', message);
}

function describe(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 37)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

/** The known key within edit distance 2, if any (typo suggestions). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
