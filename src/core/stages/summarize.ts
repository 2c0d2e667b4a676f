/**
 * Stage 3b — summarize: reduce one validated file to what the later stages read.
 * Link and derive see only small facts (ids, references, tags, dates, hashes);
 * an entry's own fields leave as one JSON string that goes into the index
 * untouched. A rebuild after one edit then links 10,000 small records, not
 * 10,000 parsed documents, and the records are cheap to keep on disk.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { canonicalJson } from '../hash.ts';
import { inputsHashOf, resolveReference } from '../inputs.ts';
import type { EntryOwn, Narrative, Notebook, Page } from '../model.ts';
import type { Reference } from '../references.ts';
import type { EntryFrontmatter } from '../schema/entry.ts';
import type { NotebookFrontmatter } from '../schema/notebook.ts';
import type { PageFrontmatter } from '../schema/page.ts';
import { positionOf } from '../source/positions.ts';
import type { ParsedSource, SourceKind } from './parse.ts';
import type { Validation } from './validate.ts';

/** A notebook's fields as written in its README (link adds the slug, pages and stats). */
type NotebookFacts = Omit<Notebook, 'id' | 'slug' | 'page_ids' | 'stats' | 'last_activity'> & {
  /** The `id:` key, or null for the default `nb-<folder>`. */
  id: string | null;
};

/** A page's fields as written in its README (link adds the slug, notebook and entries). */
type PageFacts = Omit<Page, 'id' | 'slug' | 'notebook_id' | 'entry_ids'> & {
  /** The `id:` key, or null for the default `page-<notebook folder>-<page folder>`. */
  id: string | null;
};

/** The parts of an entry that link and derive need. */
export interface EntryFacts {
  id: string;
  title: string;
  /** The `type:` key; null means the notebook's default type. */
  type: string | null;
  status: EntryOwn['status'];
  created: string | null;
  completed_at: string | null;
  parent: string | null;
  variation_of: string | null;
  tags: string[];
  /**
   * How derive tells whether the entry is stale: null when it cannot be (not
   * completed, or no recorded hash); `{ stale }` when the file alone decides (no
   * input files); otherwise the recorded hash and the canonical `inputs` JSON, to
   * hash with the input files' hashes.
   */
  stale_check: null | { stale: boolean } | { recorded: string; inputs_json: string };
  /** File references in `inputs`, with the dotted key they sit at. */
  input_refs: { key: string; ref: string }[];
  /** Artifacts' names and blob hashes (and `drop` when archiving removed the bytes), and logs' blob hashes by stream. */
  artifacts: [name: string, hash: string, dropped?: 'drop'][];
  log_hashes: [stream: string, hash: string | null][];
  /**
   * Input checks that need the linked journal: `validate` when the type is the
   * notebook's default, and the type's static checks when it has input files.
   * Null when the file alone decided (or the compile has no entry types).
   */
  checks: null | { validate: boolean; inputs_json: string };
}

/** One source file, summarized. Plain JSON: it is what the compile cache keeps. */
export interface SourceRecord {
  path: string;
  kind: SourceKind;
  /** sha256 of the file's bytes: the summary and the entry's own JSON are valid for exactly these. */
  hash: string;
  /** Line where the frontmatter starts: where problems without a key are reported. */
  line: number;
  /** Parse and validation problems of this file. */
  diagnostics: Diagnostic[];
  /** The id the file claims even when invalid (references to it are then not reported twice). */
  claimedId: string | null;
  /** Links in the body to other notes and files; the references check resolves them. */
  refs?: Reference[];
  /** Headings and block ids of a Markdown body (anchors.ts): what links to `Note#Heading` are checked against. */
  anchors?: string[];
  /** Org `:ID:` properties in the file, as `[[id:…]]` link targets. */
  org_ids?: string[];
  /** Positions of the keys link and derive report at (`parent`, `inputs.prompt`, `artifacts.0.hash`, …). */
  at: Record<string, [number, number]>;
  /**
   * Set on a valid Markdown entry whose summary and own fields depend on its body
   * only through its notes (its title is in the frontmatter; the body has no
   * links and no tags): the sha256 of its header (see ParsedSource.header). An
   * edit that keeps the header and adds no links or tags changes only
   * `metadata.notes` (see notes-edit.ts).
   */
  notes_only?: string;
  /** Exactly one is set when the file validated; none when it did not. */
  notebook?: NotebookFacts;
  page?: PageFacts;
  entry?: EntryFacts;
}

export interface Summary {
  record: SourceRecord;
  /** The entry's own fields as a JSON object (entries only). */
  ownJson?: string;
}

const EMPTY_NARRATIVE = (body: string): Narrative => ({
  goals: null,
  hypothesis: null,
  observations: null,
  conclusions: null,
  next_steps: null,
  other: body.trim() || null,
});

export function summarize(source: ParsedSource, validation: Validation, hash: string): Summary {
  const record: SourceRecord = {
    path: source.path,
    kind: source.kind,
    hash,
    line: source.line,
    diagnostics: validation.diagnostics,
    claimedId: validation.claimedId,
    at: {},
  };
  const v = validation.record;
  if (!v) return { record };
  if (source.references.length) record.refs = source.references;
  if (source.anchors.length) record.anchors = source.anchors;
  if (source.orgIds.length) record.org_ids = source.orgIds;
  const withBodyTags = (tags: string[] | undefined) => (source.bodyTags.length ? [...new Set([...(tags ?? []), ...source.bodyTags])] : (tags ?? []));
  const mark = (...keyPath: (string | number)[]) => {
    const p = positionOf(source.positions, keyPath);
    if (p) record.at[keyPath.join('.')] = p;
  };
  mark('id');
  if (v.kind === 'notebook') {
    const d: NotebookFrontmatter = v.data;
    record.notebook = {
      id: d.id ?? null,
      title: d.title,
      description: d.description ?? null,
      tags: withBodyTags(d.tags),
      color: d.color ?? null,
      icon: d.icon ?? null,
      settings: d.settings ?? {},
      overview: source.body.trim(),
      source: source.ref,
    };
    return { record };
  }
  if (v.kind === 'page') {
    const d: PageFrontmatter = v.data;
    record.page = {
      id: d.id ?? null,
      title: d.title,
      date: d.date ?? null,
      tags: withBodyTags(d.tags),
      status: d.status ?? 'active',
      narrative: source.narrative ?? EMPTY_NARRATIVE(source.body),
      source: source.ref,
    };
    return { record };
  }
  const d: EntryFrontmatter = v.data;
  for (const key of ['parent', 'variation_of', 'inputs']) mark(key);
  for (const { key } of v.inputRefs) mark('inputs', ...key.split('.'));
  // Checked after linking: every key of `inputs` may be where a problem is reported.
  if (v.later) for (const [key, p] of Object.entries(source.positions)) if (key.startsWith('inputs.')) record.at[key] = p;
  const artifacts = d.artifacts ?? [];
  artifacts.forEach((_, i) => mark('artifacts', i, 'hash'));
  const logs = d.logs ?? {};
  for (const stream of Object.keys(logs)) mark('logs', stream);
  const inputs = d.inputs ?? {};
  record.entry = {
    id: d.id,
    title: d.title,
    type: d.type ?? null,
    status: d.status ?? 'created',
    created: d.created ?? null,
    completed_at: d.execution?.completed_at ?? null,
    parent: d.parent ?? null,
    variation_of: d.variation_of ?? null,
    tags: withBodyTags(d.tags),
    stale_check: staleCheck(d.status, d.execution?.inputs_hash, inputs, v.inputRefs.length > 0),
    input_refs: v.inputRefs,
    artifacts: artifacts.map((a) => (a.archived?.strategy === 'drop' ? [a.name, a.hash, 'drop'] : [a.name, a.hash])),
    log_hashes: Object.entries(logs),
    checks: v.later ? { validate: v.later.validate, inputs_json: canonicalJson(inputs) } : null,
  };
  if (source.header && source.format === 'md' && typeof source.data?.title === 'string' && !source.references.length && !source.bodyTags.length) {
    record.notes_only = source.header;
  }
  const own: EntryOwn = {
    slug: path.posix.basename(source.path).replace(/\.(md|org)$/i, ''),
    title: d.title,
    created: d.created ?? null,
    status: d.status ?? 'created',
    inputs,
    outputs: d.outputs ?? {},
    metrics: d.metrics ?? {},
    artifacts,
    logs,
    execution: d.execution ?? null,
    metadata: {
      tags: withBodyTags(d.tags),
      notes: source.body.trim(),
      rating: d.rating ?? null,
      archived: d.archived ?? null,
      ...(d.archive ? { archive: d.archive } : {}),
    },
    input_files: [...new Set(v.inputRefs.map((f) => resolveReference(source.path, f.ref)))].sort(),
    source: source.ref,
  };
  return { record, ownJson: JSON.stringify(own) };
}

function staleCheck(status: string | undefined, recorded: string | undefined, inputs: Record<string, unknown>, hasFiles: boolean): EntryFacts['stale_check'] {
  if (status !== 'completed' || !recorded) return null;
  const inputs_json = canonicalJson(inputs);
  return hasFiles ? { recorded, inputs_json } : { stale: recorded !== inputsHashOf(inputs_json, {}) };
}
