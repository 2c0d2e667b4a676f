/**
 * Writing results back into an entry file. Only the runner's keys (`status`,
 * `execution`, `outputs`, `metrics`, `artifacts`, `logs`) change: their text
 * spans are found with yaml's Document API (node ranges) and spliced, so every
 * other byte — the user's keys, order, comments, quoting, anchors, line
 * endings and the body — stays exactly as it was. The result is re-parsed and
 * checked before anyone writes it.
 */
import { Document, isMap, isScalar, isSeq, type Pair, parseDocument } from 'yaml';
import { LabError } from '../core/diagnostics.ts';
import { canonicalJson } from '../core/hash.ts';
import { findFrontmatter, type SplitSource, splitMarkdown } from '../core/source/frontmatter.ts';
import { MODE_LINE, splitOrg } from '../core/source/org.ts';
import { RUNNER_KEYS, type RunnerKey } from './runner-keys.ts';
import { detectEol, keyLineComment, lineEnd, lineStart, withComment } from './yaml-lines.ts';

/** New values for the runner's keys; a key set to `undefined` is removed from the file. */
export type RunnerValues = Partial<Record<RunnerKey, unknown>>;

/** Which syntax an entry file uses. */
export type EntryFormat = 'md' | 'org';

export function formatOf(file: string): EntryFormat {
  return file.toLowerCase().endsWith('.org') ? 'org' : 'md';
}

/** Returns the entry text with the runner's keys replaced; throws LabError if that is impossible. */
export function applyRunnerValues(text: string, format: EntryFormat, values: RunnerValues): string {
  const next = format === 'org' ? applyOrg(text, values) : applyMarkdown(text, values);
  verify(text, next, format, values);
  return next;
}

function applyMarkdown(text: string, values: RunnerValues): string {
  const block = findFrontmatter(text);
  if (!block) throw new LabError('the entry has no frontmatter (a `---` block at the top) to write results into');
  const yamlText = text.slice(block.yamlStart, block.yamlEnd);
  const doc = parseDocument(yamlText, { uniqueKeys: true });
  if (doc.errors.length) throw new LabError(`the frontmatter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents) || doc.contents.flow) {
    throw new LabError('the frontmatter must be a block mapping (`key: value` lines) for results to be written into it');
  }
  const eol = detectEol(yamlText);
  const spans: { key: RunnerKey; start: number; end: number; comment: string }[] = [];
  for (const pair of doc.contents.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : null;
    if (!key || !(RUNNER_KEYS as readonly string[]).includes(key)) continue;
    const keyRange = (pair.key as { range?: [number, number, number] }).range!;
    const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
    const start = lineStart(yamlText, keyRange[0]);
    const end = lineEnd(yamlText, Math.max(keyRange[1], valueRange?.[1] ?? 0));
    spans.push({ key: key as RunnerKey, start, end, comment: keyLineComment(yamlText, keyRange, valueRange) });
  }
  spans.sort((a, b) => a.start - b.start);

  const present = new Set(spans.map((s) => s.key));
  const additions = RUNNER_KEYS.filter((k) => !present.has(k) && values[k] !== undefined && k in values)
    .map((k) => renderYamlKey(k, values[k], eol))
    .join('');
  let out = '';
  let cursor = 0;
  spans.forEach((span, i) => {
    out += yamlText.slice(cursor, span.start);
    out +=
      span.key in values
        ? values[span.key] === undefined
          ? ''
          : withComment(renderYamlKey(span.key, values[span.key], eol), span.comment)
        : yamlText.slice(span.start, span.end);
    if (i === spans.length - 1) out += additions;
    cursor = span.end;
  });
  let rest = yamlText.slice(cursor);
  if (!spans.length && additions) {
    if (rest && !rest.endsWith('\n')) rest += eol;
    rest += additions;
  }
  out += rest;
  return text.slice(0, block.yamlStart) + out + text.slice(block.yamlEnd);
}

/** `key: value` as block YAML, ending with a newline in the file's line-ending style. */
function renderYamlKey(key: string, value: unknown, eol: string): string {
  const doc = new Document({ [key]: value });
  compactLeaves(doc.contents, 0, false);
  const yaml = doc.toString({ lineWidth: 0 });
  return eol === '\n' ? yaml : yaml.replace(/\n/g, eol);
}

/**
 * One line per leaf record keeps results short and their diffs readable:
 * lists of scalars (`columns: [a, b]`), records in lists (an artifact, a
 * preview row) and small records (`git: { commit, dirty }`) are written in
 * flow style; everything else stays block style.
 */
function compactLeaves(node: unknown, depth: number, inSeq: boolean): void {
  if (isSeq(node)) {
    if (depth > 1 && node.items.every((i) => isScalar(i))) node.flow = true;
    for (const item of node.items) compactLeaves(item, depth + 1, true);
  } else if (isMap(node)) {
    const leaf = node.items.every((p) => isScalar(p.value) || p.value === null);
    if (depth > 1 && leaf && (inSeq || node.items.length <= 3)) node.flow = true;
    for (const p of node.items) compactLeaves(p.value, depth + 1, false);
  }
}

const ORG_KEYWORD = /^([ \t]*)#\+([A-Za-z_][\w-]*):(.*?)(\r?)$/;
const ORG_PROPERTY = /^([ \t]*):([A-Za-z_][\w-]*):(.*?)(\r?)$/;

function applyOrg(text: string, values: RunnerValues): string {
  const lines = text.split('\n');
  const found = new Map<RunnerKey, { index: number; kind: 'keyword' | 'property'; indent: string; name: string }>();
  let lastKeyword = -1;
  let drawerEnd = -1;
  let inDrawer = false;
  let upper = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inDrawer) {
      if (/^[ \t]*:END:[ \t]*\r?$/i.test(line)) {
        inDrawer = false;
        drawerEnd = i;
        continue;
      }
      const p = ORG_PROPERTY.exec(line);
      if (p) remember(p[2]!, i, 'property', p[1]!);
      continue;
    }
    if (/^[ \t]*:PROPERTIES:[ \t]*\r?$/i.test(line)) {
      inDrawer = true;
      continue;
    }
    if (i === 0 && MODE_LINE.test(line)) continue; // Emacs' `-*- mode: org -*-` line stays first
    const k = ORG_KEYWORD.exec(line);
    if (k) {
      if (k[2]!.toLowerCase() === 'title') upper = k[2] === 'TITLE';
      remember(k[2]!, i, 'keyword', k[1]!);
      lastKeyword = i;
      continue;
    }
    if (/^[ \t]*(#( |$)|\r?$)/.test(line)) continue;
    break;
  }
  function remember(raw: string, index: number, kind: 'keyword' | 'property', indent: string) {
    const key = raw.toLowerCase().replace(/-/g, '_');
    if ((RUNNER_KEYS as readonly string[]).includes(key) && !found.has(key as RunnerKey)) {
      found.set(key as RunnerKey, { index, kind, indent, name: raw });
    }
  }
  if (lastKeyword < 0 && drawerEnd < 0) throw new LabError('the Org entry has no `#+KEY: value` header to write results into');
  const cr = detectEol(lines.slice(0, Math.max(lastKeyword, drawerEnd) + 1).join('\n')) === '\r\n' ? '\r' : '';
  const replaced = new Map<number, string | null>();
  for (const [key, at] of found) {
    if (!(key in values)) continue;
    const value = values[key];
    replaced.set(at.index, value === undefined ? null : `${at.indent}${at.kind === 'keyword' ? '#+' : ':'}${at.name}: ${orgValue(key, value)}${cr}`);
  }
  const additions = RUNNER_KEYS.filter((k) => !found.has(k) && k in values && values[k] !== undefined);
  const insertAt = lastKeyword >= 0 ? lastKeyword : drawerEnd - 1;
  const useKeyword = lastKeyword >= 0;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const r = replaced.get(i);
    if (r !== null) out.push(r ?? line);
    if (i === insertAt) {
      for (const key of additions) {
        const name = upper ? key.toUpperCase() : key;
        out.push(`${useKeyword ? `#+${name}` : `:${name}`}: ${orgValue(key, values[key])}${cr}`);
      }
    }
  });
  return out.join('\n');
}

/** A runner value on one Org keyword line: text for `status`, YAML flow for the rest. */
function orgValue(key: RunnerKey, value: unknown): string {
  if (key === 'status') return String(value);
  const flow = new Document(value).toString({ lineWidth: 0, collectionStyle: 'flow' }).trimEnd();
  return flow.includes('\n') ? JSON.stringify(value) : flow;
}

/**
 * Re-parses the new text and checks that every user key still has the same
 * value and every runner key has the intended one; a bug here must never
 * reach a user's file.
 */
function verify(before: string, after: string, format: EntryFormat, values: RunnerValues): void {
  const split = (text: string) => splitEntry(text, format);
  const problem = (what: string) => new LabError(`writing results would ${what}; the entry file was left unchanged`);
  const a = split(before);
  let b: ReturnType<typeof split>;
  try {
    b = split(after);
  } catch (e) {
    throw problem(`break the header (${(e as Error).message.split('\n')[0]})`);
  }
  if (!b.data || b.problems.length) throw problem(`make the header unreadable (${b.problems[0]?.message ?? 'no header'})`);
  if (a.body !== b.body) throw problem('change the body');
  for (const [key, value] of Object.entries(a.data ?? {})) {
    if ((RUNNER_KEYS as readonly string[]).includes(key) && key in values) continue;
    if (canonicalJson(b.data[key]) !== canonicalJson(value)) throw problem(`change the user's key \`${key}\``);
  }
  for (const key of RUNNER_KEYS) {
    if (!(key in values)) continue;
    const expected = values[key] === undefined ? undefined : canonicalJson(normalizeForCompare(values[key]));
    const actual = b.data[key] === undefined ? undefined : canonicalJson(b.data[key]);
    if (expected !== actual) throw problem(`store \`${key}\` incorrectly`);
  }
}

const recent = new Map<string, SplitSource>();

/**
 * Parses an entry's header (Markdown frontmatter or Org keywords). The last few
 * results are kept: a run parses the same texts again (read → running → final),
 * and each parse costs more than the write itself for a short run.
 */
export function splitEntry(text: string, format: EntryFormat): SplitSource {
  const key = `${format}\0${text}`;
  const hit = recent.get(key);
  if (hit) return hit;
  const split = format === 'org' ? splitOrg(text) : splitMarkdown(text);
  recent.set(key, split);
  if (recent.size > 4) recent.delete(recent.keys().next().value!);
  return split;
}

/** JSON round trip: what YAML can represent (no undefined members, dates as strings). */
function normalizeForCompare(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
