/**
 * Creating journal files (`lab new`, `lab variation`). Every write is a new file
 * created atomically that refuses to replace an existing one.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Document, isMap, isScalar, parseDocument, parse as parseYaml, visit } from 'yaml';
import { LabError, UsageError } from './diagnostics.ts';
import { createFileAtomic } from './fs/atomic.ts';
import type { Entry, JournalIndex, Notebook, Page } from './model.ts';
import { slugify } from './schema/common.ts';
import { NARRATIVE_SECTIONS } from './schema/page.ts';

export function newEntryId(): string {
  return `entry-${randomBytes(6).toString('hex')}`;
}

/**
 * A `key=value` from the command line: dotted key path, value typed as a YAML
 * scalar (parameters) or kept as text (`typed: false`, for inputs such as a
 * command or a file path, where `true` or `007` must stay a string).
 */
export function parseAssignment(text: string, typed = true, flat = false): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`expected key=value, got '${text}'`);
  const keyPath = flat ? flatKeyPath(text.slice(0, eq)) : text.slice(0, eq).split('.');
  if (keyPath.some((k) => !k)) throw new UsageError(`bad key in '${text}'`);
  const raw = text.slice(eq + 1);
  return { path: keyPath, value: typed ? yamlScalar(raw) : raw };
}

/**
 * Parameter keys of types whose dotted keys name one thing (ComfyUI's
 * `"6.text"`: node 6's `text` input) are kept whole; only a leading
 * `parameters.` is a path.
 */
function flatKeyPath(key: string): string[] {
  return key.startsWith('parameters.') ? ['parameters', key.slice('parameters.'.length)] : [key];
}

/** Numbers, booleans and null become typed; anything else (including `a: b`) stays a string. */
export function yamlScalar(raw: string): unknown {
  if (raw === '') return '';
  try {
    const v = parseYaml(raw);
    return v === null || ['number', 'boolean'].includes(typeof v) ? v : typeof v === 'string' ? v : raw;
  } catch {
    return raw;
  }
}

export function setPath(target: Record<string, unknown>, keyPath: string[], value: unknown): void {
  let node = target;
  for (const k of keyPath.slice(0, -1)) {
    const next = node[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keyPath[keyPath.length - 1]!] = value;
}

/** Deep merge: plain objects merge key by key, everything else is replaced. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return structuredClone(override);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/** A Markdown file: YAML frontmatter (keys in the given order, undefined dropped) and a body. */
export function renderMarkdown(frontmatter: Record<string, unknown>, body: string): string {
  return `---\n${frontmatterYaml(frontmatter)}\n---\n${body ? `\n${body.trimEnd()}\n` : ''}`;
}

function frontmatterYaml(frontmatter: Record<string, unknown>): string {
  const clean = Object.fromEntries(Object.entries(frontmatter).filter(([, v]) => v !== undefined));
  return quoteDottedKeys(new Document(clean)).toString(YAML_OPTIONS).trimEnd();
}

/** Keys with a dot (`"6.text"`) are written quoted, so nobody reads them as a path. */
function quoteDottedKeys(doc: Document): Document {
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && pair.key.value.includes('.')) pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  return doc;
}

/**
 * The `inputs:` block of a new entry: the type's commented template with the
 * given inputs set into it (comments kept). A template of comments alone, with
 * nothing given, is written commented out (`inputs:` with no value would be null).
 */
export function inputsBlock(template: string, inputs: Record<string, unknown>): string {
  const doc = parseDocument(`inputs:\n${template}\n`);
  const given = Object.keys(inputs).length > 0;
  if (!isMap(doc.get('inputs', true))) {
    if (!given) return `# inputs:\n${template.trimEnd()}`;
    doc.set('inputs', doc.createNode({}));
  }
  const put = (prefix: string[], value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) put([...prefix, k], v);
    } else doc.setIn(['inputs', ...prefix], value);
  };
  for (const [k, v] of Object.entries(inputs)) put([k], v);
  return quoteDottedKeys(doc).toString(YAML_OPTIONS).trimEnd();
}

async function uniqueDir(parent: string, slug: string): Promise<string> {
  for (let i = 1; ; i++) {
    const dir = path.join(parent, i === 1 ? slug : `${slug}-${i}`);
    if (!(await exists(dir))) return dir;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function uniqueId(index: JournalIndex, base: string): string {
  const taken = new Set([...index.notebooks, ...index.pages, ...index.entries].map((x) => x.id));
  for (let i = 1; ; i++) if (!taken.has(i === 1 ? base : `${base}-${i}`)) return i === 1 ? base : `${base}-${i}`;
}

export interface NewNotebook {
  title: string;
  description?: string;
  tags?: string[];
  color?: string;
  icon?: string;
}

export async function createNotebookFile(root: string, index: JournalIndex, o: NewNotebook): Promise<string> {
  const dir = await uniqueDir(path.join(root, 'content', 'notebooks'), slugify(o.title));
  const id = uniqueId(index, `nb-${path.basename(dir)}`);
  const file = path.join(dir, 'README.md');
  await createFileAtomic(
    file,
    renderMarkdown(
      { title: o.title, id, description: o.description, tags: o.tags?.length ? o.tags : undefined, color: o.color, icon: o.icon },
      `# ${o.title}\n\n${o.description ?? 'What this notebook is for, and how its pages fit together.'}`,
    ),
  );
  return file;
}

export interface NewPage {
  title: string;
  date?: string;
  goal?: string;
  hypothesis?: string;
  tags?: string[];
}

export async function createPageFile(root: string, index: JournalIndex, notebook: Notebook, o: NewPage): Promise<string> {
  const date = o.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date must look like 2024-11-27, got '${date}'`);
  const nbDir = path.join(root, path.dirname(notebook.source.path));
  const dir = await uniqueDir(nbDir, slugify(o.title));
  const id = uniqueId(index, `page-${path.basename(dir)}`);
  const body = Object.values(NARRATIVE_SECTIONS)
    .map((title) => `## ${title}\n\n${title === 'Goals' && o.goal ? `${o.goal}\n\n` : title === 'Hypothesis' && o.hypothesis ? `${o.hypothesis}\n\n` : ''}`)
    .join('');
  const file = path.join(dir, 'README.md');
  await createFileAtomic(file, renderMarkdown({ title: o.title, id, date, tags: o.tags?.length ? o.tags : undefined, status: 'active' }, body));
  await fs.mkdir(path.join(dir, 'entries'), { recursive: true });
  return file;
}

export interface NewEntry {
  type: string;
  title: string;
  inputs?: Record<string, unknown>;
  parent?: string;
  variation_of?: string;
  tags?: string[];
  notes?: string;
  /** The type's commented `inputs:` lines (see inputsBlock); without it only the given inputs are written. */
  inputsTemplate?: string;
  /** The sweep this entry is a point of (`lab sweep`). */
  sweep?: string;
}

/** Writes `entries/<NNN-slug>.md` with the next free number. Returns the path and id. */
export async function createEntryFile(root: string, index: JournalIndex, page: Page, o: NewEntry): Promise<{ file: string; id: string }> {
  for (const ref of [o.parent, o.variation_of]) {
    if (ref && !index.entries.some((e) => e.id === ref)) throw new LabError(`no entry '${ref}' to derive from`);
  }
  const dir = path.join(root, path.dirname(page.source.path), 'entries');
  await fs.mkdir(dir, { recursive: true });
  const names = await fs.readdir(dir);
  const next = names.reduce((m, n) => Math.max(m, Number(/^(\d+)-/.exec(n)?.[1] ?? 0)), 0) + 1;
  const file = path.join(dir, `${String(next).padStart(3, '0')}-${slugify(o.title)}.md`);
  const id = newEntryId();
  const head = {
    id,
    title: o.title,
    type: o.type,
    created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    tags: o.tags?.length ? o.tags : undefined,
    parent: o.parent,
    variation_of: o.variation_of,
    sweep: o.sweep,
  };
  const inputs = o.inputs && Object.keys(o.inputs).length ? o.inputs : undefined;
  const text = o.inputsTemplate
    ? `---\n${frontmatterYaml(head)}\n${inputsBlock(o.inputsTemplate, inputs ?? {})}\nstatus: created\n---\n${o.notes ? `\n${o.notes.trimEnd()}\n` : ''}`
    : renderMarkdown({ ...head, inputs, status: 'created' }, o.notes ?? '');
  await createFileAtomic(file, text);
  return { file, id };
}

/** One override of a variation: a key path and its typed value. */
export interface Assignment {
  path: string[];
  value: unknown;
}

/**
 * The inputs of a variation: the original's deep-merged with the assignments.
 * A bare key (`seed`) lands in `inputs.parameters` when the original keeps its
 * parameters there and has no top-level input of that name.
 */
export function variationInputs(
  original: Pick<Entry, 'inputs'>,
  assignments: Assignment[],
  o: { flatParameterKeys?: boolean; inputKeys?: string[] } = {},
): Record<string, unknown> {
  const override: Record<string, unknown> = {};
  for (const { path: keyPath, value } of assignments) {
    const params = original.inputs.parameters;
    const isInput = keyPath[0]! in original.inputs || Boolean(o.inputKeys?.includes(keyPath[0]!));
    const intoParams = keyPath.length === 1 && !isInput && (isPlain(params) || Boolean(o.flatParameterKeys));
    setPath(override, intoParams ? ['parameters', ...keyPath] : keyPath, value);
  }
  return deepMerge(original.inputs, override) as Record<string, unknown>;
}

/**
 * A variation: a new entry in the same page whose inputs are the original's
 * deep-merged with the overrides (`key=value` text, then typed `assignments`). A bare key
 * (`seed=7`) lands in `inputs.parameters` when the original keeps its parameters there and the key
 * is not one of the type's own inputs (`inputKeys`: `timeout=30` stays an input). With
 * `flatParameterKeys` (ComfyUI), `9.filename_prefix=…` is one parameter key. `sweep` records the
 * sweep the variation is a point of.
 */
export async function createVariationFile(
  root: string,
  index: JournalIndex,
  original: Entry,
  o: { title: string; overrides: string[]; assignments?: Assignment[]; tags?: string[]; sweep?: string; flatParameterKeys?: boolean; inputKeys?: string[] },
): Promise<{ file: string; id: string }> {
  const assignments = [...o.overrides.map((text) => parseAssignment(text, true, o.flatParameterKeys)), ...(o.assignments ?? [])];
  const page = index.pages.find((p) => p.id === original.page_id)!;
  return createEntryFile(root, index, page, {
    type: original.type,
    title: o.title,
    inputs: variationInputs(original, assignments, o),
    parent: original.id,
    variation_of: original.id,
    tags: o.tags ?? original.metadata.tags,
    sweep: o.sweep,
  });
}
