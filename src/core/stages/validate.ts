/**
 * Stage 3 — validate: check each parsed file against its zod schema and turn
 * every issue into a positioned diagnostic in plain words (never thrown, all of
 * them). Entries' `inputs` are checked with their type's schema when the type
 * is written in the file; what needs the rest of the journal (a notebook's
 * default type, input files) is left to the input-check stage after linking.
 */
import type { z } from 'zod';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { didYouMean, type InputChecks } from '../entry-types.ts';
import { findFileReferences } from '../inputs.ts';
import { plainIssues } from '../issue-text.ts';
import { ENTRY_KEYS, type EntryFrontmatter, entrySchema } from '../schema/entry.ts';
import { NOTEBOOK_KEYS, type NotebookFrontmatter, notebookSchema } from '../schema/notebook.ts';
import { PAGE_KEYS, type PageFrontmatter, pageSchema } from '../schema/page.ts';
import { isForeignKey } from '../source/foreign-keys.ts';
import { positionOf } from '../source/positions.ts';
import { inputDiagnostic } from './input-diagnostics.ts';
import type { ParsedSource, SourceKind } from './parse.ts';
import { fallbackTitle } from './title-fallback.ts';

/** What an entry still needs checked once it is linked: `validate` when its type is the notebook's default. */
interface LaterCheck {
  validate: boolean;
}

type Validated =
  | { kind: 'notebook'; source: ParsedSource; data: NotebookFrontmatter }
  | { kind: 'page'; source: ParsedSource; data: PageFrontmatter }
  | { kind: 'entry'; source: ParsedSource; data: EntryFrontmatter; inputRefs: { key: string; ref: string }[]; later: LaterCheck | null };

/** The entry types a validation runs with: their names and their loaded input checks. */
export interface TypeChecks {
  names: ReadonlySet<string>;
  checks: InputChecks;
}

const SCHEMAS = { notebook: notebookSchema, page: pageSchema, entry: entrySchema } as const;
const KEYS: Record<SourceKind, readonly string[]> = { notebook: NOTEBOOK_KEYS, page: PAGE_KEYS, entry: ENTRY_KEYS };

/** The outcome of validating one file. */
export interface Validation {
  record: Validated | null;
  diagnostics: Diagnostic[];
  /** The id the file claims even when invalid (so references to it are not reported twice). */
  claimedId: string | null;
}

/**
 * Validates one file. Returns the typed record (or null when it cannot be used)
 * and its diagnostics. Without `types`, any entry type is accepted.
 */
export function validateSource(source: ParsedSource, types: TypeChecks | null): Validation {
  const diagnostics: Diagnostic[] = source.problems.map((p) => diagnostic(source.path, p, 'error', p.rule, p.message));
  const claimedId = source.data && typeof source.data.id === 'string' ? source.data.id : null;
  if (source.problems.length || source.data === null) return { record: null, diagnostics, claimedId };
  // Notebooks and pages may be plain notes (Obsidian, Quartz): only entries need an id, so only they need a header.
  if (!source.hasHeader && source.kind === 'entry') {
    const what = source.format === 'org' ? 'Org header (#+TITLE: …)' : 'YAML frontmatter block (--- … ---)';
    diagnostics.push(diagnostic(source.path, { line: 1, column: 1 }, 'error', 'missing-frontmatter', `${source.kind} has no ${what}`));
    return { record: null, diagnostics, claimedId };
  }
  const data = { ...source.data };
  if ((data.title === undefined || data.title === null) && !source.commented.title) {
    const fallback = fallbackTitle(source);
    data.title = fallback.title;
    diagnostics.push(
      diagnostic(
        source.path,
        { line: source.line, column: 1 },
        'warning',
        'missing-title',
        `no \`title\`; using ${fallback.from} "${fallback.title}" (add \`title:\` to choose one)`,
      ),
    );
  }
  const schema = SCHEMAS[source.kind];
  const result = (schema as z.ZodType).safeParse(data, { reportInput: true });
  if (!result.success) {
    const keysAt = (path: (string | number)[]) => (path.length ? [] : KEYS[source.kind]);
    for (const issue of plainIssues(result.error.issues, data, keysAt)) diagnostics.push(issueDiagnostic(source, issue));
  }
  for (const key of Object.keys(data)) {
    if (!KEYS[source.kind].includes(key) && !isForeignKey(key)) {
      diagnostics.push(
        diagnostic(
          source.path,
          pos(source, [key]),
          'warning',
          'unknown-key',
          `unknown ${source.kind} key \`${key}\`${didYouMean(key, KEYS[source.kind])}; it is kept but not used`,
        ),
      );
    }
  }
  const type = source.kind === 'entry' && typeof data.type === 'string' ? data.type : null;
  if (types && type !== null && !types.names.has(type)) {
    diagnostics.push(
      diagnostic(
        source.path,
        pos(source, ['type']),
        'error',
        'unknown-type',
        `unknown entry type \`${type}\`${didYouMean(type, types.names)}; known types: ${[...types.names].sort().join(', ')}`,
      ),
    );
  }
  const settings = source.kind === 'notebook' && data.settings && typeof data.settings === 'object' ? (data.settings as Record<string, unknown>) : null;
  const defaultType = settings?.default_entry_type;
  if (types && typeof defaultType === 'string' && !types.names.has(defaultType)) {
    diagnostics.push(
      diagnostic(
        source.path,
        pos(source, ['settings', 'default_entry_type']),
        'error',
        'unknown-type',
        `\`settings.default_entry_type\` is not a known entry type: \`${defaultType}\`${didYouMean(defaultType, types.names)}; known types: ${[...types.names].sort().join(', ')}`,
      ),
    );
  }
  const valid = result.success ? (result.data as Record<string, unknown>) : salvage(schema, data, source);
  if (!valid) return { record: null, diagnostics, claimedId };
  if (source.kind !== 'entry') return { record: { kind: source.kind, source, data: valid } as Validated, diagnostics, claimedId };

  const inputs = valid.inputs as Record<string, unknown> | undefined;
  const inputRefs = findFileReferences(inputs ?? {});
  let later: LaterCheck | null = null;
  // Inputs that are not a mapping were reported above; checking them against a type would only repeat it.
  const inputsOk = data.inputs === undefined || inputs !== undefined;
  if (types && inputsOk) {
    if (type !== null && types.names.has(type)) {
      const issues = types.checks.validate(type, inputs ?? {});
      for (const issue of issues) diagnostics.push(inputDiagnostic(source.path, source.positions, source.line, issue));
      if (!issues.some((i) => (i.severity ?? 'error') === 'error') && inputRefs.length && types.checks.inspects(type)) later = { validate: false };
    } else if (type === null && inputs && Object.keys(inputs).length) {
      later = { validate: true };
    }
  }
  return { record: { kind: 'entry', source, data: valid as EntryFrontmatter, inputRefs, later }, diagnostics, claimedId };
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
  if (typeof out.title !== 'string') out.title = fallbackTitle({ ...source, body: '' }).title;
  return out;
}

function pos(source: ParsedSource, path: readonly PropertyKey[]) {
  const p = positionOf(source.positions, path);
  return p ? { line: p[0], column: p[1] } : { line: source.line, column: 1 };
}

/** One schema issue of the file's own keys as a diagnostic. */
function issueDiagnostic(source: ParsedSource, issue: ReturnType<typeof plainIssues>[number]): Diagnostic {
  const keyPath = issue.path.join('.');
  if (issue.kind === 'missing-key') {
    const rule = issue.path[0] === 'id' ? 'missing-id' : 'missing-key';
    const hint = issue.path[0] === 'id' && source.kind === 'entry' ? ' (run `lab check --fix` to assign one)' : '';
    return diagnostic(source.path, { line: source.line, column: 1 }, 'error', rule, `missing required key \`${keyPath}\`${hint}`);
  }
  const comment = source.commented[keyPath];
  if (comment) {
    const key = String(issue.path.at(-1));
    return diagnostic(
      source.path,
      pos(source, issue.path),
      'error',
      'yaml-comment-value',
      `\`${keyPath}\` is empty: \`#\` starts a YAML comment, so \`${comment}\` was not read as its value; quote it: ${key}: "${comment.replace(/\s+#.*$/, '')}"`,
    );
  }
  return diagnostic(source.path, pos(source, issue.path), 'error', 'invalid-value', `\`${keyPath || '(frontmatter)'}\` ${issue.message}`);
}
