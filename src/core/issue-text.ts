/**
 * Schema issues in plain words. zod's own wording ("Invalid input: expected
 * string, received undefined", "Unrecognized key(s) in object") is replaced by
 * what a person editing the file needs: what is wrong with this key, what was
 * found, and a "did you mean" for typos. Works on zod 4 issues and on any
 * Standard Schema issue (which has at least a message and a path).
 */
import { closest, didYouMean } from './entry-types.ts';

/** The parts of a zod 4 / Standard Schema issue this module reads. */
export interface SchemaIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
  code?: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  errors?: SchemaIssue[][];
  input?: unknown;
}

/** One issue in plain words: the key path and the phrase that follows the key's name. */
export interface PlainIssue {
  path: (string | number)[];
  message: string;
  /** `unknown-key` for keys the schema does not know; `missing-key` for required keys that are absent. */
  kind: 'unknown-key' | 'missing-key' | 'invalid';
}

/**
 * Rewrites issues about `value`. `keysAt(path)` lists the keys the schema
 * knows at an object path (for "did you mean"); a missing key that a typo
 * stands for is reported once, at the typo.
 */
export function plainIssues(issues: readonly SchemaIssue[], value: unknown, keysAt: (path: (string | number)[]) => readonly string[] = () => []): PlainIssue[] {
  const out: PlainIssue[] = [];
  const meant = new Set<string>();
  for (const issue of issues) {
    const path = plainPath(issue.path);
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      const known = keysAt(path);
      for (const key of issue.keys) {
        const guess = closest(key, known);
        if (guess) meant.add([...path, guess].join('\0'));
        const hint = didYouMean(key, known);
        const list = known.length && !hint ? `; known keys: ${known.join(', ')}` : '';
        out.push({ path: [...path, key], message: `is not a known key${hint}${list}`, kind: 'unknown-key' });
      }
      continue;
    }
    const found = valueAt(value, path);
    if (found.missing && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === undefined)) {
      out.push({ path, message: 'is required but missing', kind: 'missing-key' });
      continue;
    }
    // A check on the whole mapping (`needs exactly one of …`) says it all; the mapping itself is not worth showing.
    const message = !path.length && issue.code === 'custom' ? issue.message : phrase(issue, found.value);
    out.push({ path, message, kind: 'invalid' });
  }
  return out.filter((i) => i.kind !== 'missing-key' || !meant.has(i.path.join('\0')));
}

/** The phrase for one issue about a value that is present. */
function phrase(issue: SchemaIssue, value: unknown): string {
  const got = ` (got ${describeValue(value)})`;
  const custom = !isDefaultMessage(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      return custom ? `${issue.message}${got}` : `must be ${article(issue.expected ?? 'value')}${got}`;
    case 'invalid_union': {
      if (custom) return `${issue.message}${got}`;
      const expected = [
        ...new Set((issue.errors ?? []).flatMap((branch) => branch.filter((b) => b.code === 'invalid_type' && !b.path?.length).map((b) => b.expected ?? ''))),
      ].filter(Boolean);
      return expected.length ? `must be ${expected.map(article).join(' or ')}${got}` : `is not a valid value${got}`;
    }
    case 'invalid_value': {
      if (custom) return `${issue.message}${got}`;
      const options = (issue.values ?? []).map(String);
      const hint = typeof value === 'string' ? didYouMean(value, options) : '';
      return `must be ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}${got}${hint}`;
    }
    case 'too_small':
    case 'too_big': {
      if (custom) return `${issue.message}${got}`;
      const small = issue.code === 'too_small';
      const limit = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'string')
        return small && limit === 1 ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${limit} characters long${got}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return small && limit === 1 ? 'must not be an empty list' : `must have ${small ? 'at least' : 'at most'} ${limit} items`;
      const strict = issue.inclusive === false;
      return `must be ${small ? (strict ? 'more than' : 'at least') : strict ? 'less than' : 'at most'} ${limit}${got}`;
    }
    case 'invalid_format': {
      if (custom) return `${issue.message}${got}`;
      const f = issue as SchemaIssue & { pattern?: string; prefix?: string; suffix?: string; includes?: string };
      if (f.format === 'regex') return `must match ${f.pattern ?? 'the expected pattern'}${got}`;
      if (f.format === 'starts_with') return `must start with "${f.prefix}"${got}`;
      if (f.format === 'ends_with') return `must end with "${f.suffix}"${got}`;
      if (f.format === 'includes') return `must contain "${f.includes}"${got}`;
      return `must be ${article(f.format === 'url' ? 'URL' : `${f.format ?? 'valid'} value`)}${got}`;
    }
    case 'not_multiple_of':
      return custom ? `${issue.message}${got}` : `must be a whole number${got}`;
    default:
      return value === undefined ? issue.message : `${issue.message}${got}`;
  }
}

/** zod's built-in wording, which says nothing a user can act on. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid input|Invalid option|Invalid string|Invalid number|Invalid element|Invalid key|Invalid value|Too (big|small)|Unrecognized key|Required$|Expected |Invalid [A-Za-z ]+$)/.test(
    message,
  );
}

const WORDS: Record<string, string> = {
  string: 'text',
  number: 'number',
  int: 'whole number',
  boolean: 'true or false',
  object: 'mapping (key: value pairs)',
  record: 'mapping (key: value pairs)',
  array: 'list',
  null: 'null',
  bigint: 'whole number',
  date: 'date',
};

function article(expected: string): string {
  const word = WORDS[expected] ?? expected;
  if (word === 'true or false' || word === 'null' || word === 'text') return word;
  // By sound: "a URL", "an email value".
  return `${/^[aeiou]/i.test(word) && !/^U[A-Z]/.test(word) ? 'an' : 'a'} ${word}`;
}

/** How a found value is shown after "got": short, typed, never a dump. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 37)}…` : value}"`;
  return `${typeof value === 'boolean' ? 'true/false' : typeof value} ${String(value)}`;
}

function plainPath(path: SchemaIssue['path']): (string | number)[] {
  return (path ?? []).map((p) => {
    const k = typeof p === 'object' && p !== null && 'key' in p ? p.key : p;
    return typeof k === 'number' ? k : String(k);
  });
}

function valueAt(root: unknown, path: (string | number)[]): { value: unknown; missing: boolean } {
  let node = root;
  for (const k of path) {
    if (!node || typeof node !== 'object' || !(k in (node as Record<string, unknown>))) return { value: undefined, missing: true };
    node = (node as Record<string | number, unknown>)[k];
  }
  return { value: node, missing: node === undefined };
}
