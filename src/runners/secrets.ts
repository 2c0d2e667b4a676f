/**
 * `${env:NAME}` placeholders: inputs name secrets by environment variable, the
 * runner resolves them in memory at run time, and every value it resolved is
 * redacted from anything it records (outputs, logs, errors).
 */
import { LabError } from '../core/diagnostics.ts';

const PLACEHOLDER = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Resolved inputs plus a redactor for the secret values that went into them. */
export interface ResolvedSecrets<T> {
  value: T;
  /** Replaces each resolved value with its `${env:NAME}` placeholder. */
  redact(text: string): string;
  /** Names of the environment variables used. */
  names: string[];
  /** Every form of every redacted value (for redacting streams). */
  forms: string[];
}

/** Resolves every `${env:NAME}` in strings anywhere inside `value`; a missing variable is an error naming the key. */
export function resolveEnvPlaceholders<T>(value: T, env: NodeJS.ProcessEnv = process.env): ResolvedSecrets<T> {
  const used = new Map<string, string>();
  const missing: { key: string; name: string }[] = [];
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') {
      return v.replace(PLACEHOLDER, (_, name: string) => {
        const resolved = env[name];
        if (resolved === undefined) {
          missing.push({ key: at || 'inputs', name });
          return '';
        }
        used.set(name, resolved);
        return resolved;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, at ? `${at}.${i}` : String(i)));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, at ? `${at}.${k}` : k)]));
    }
    return v;
  };
  const resolved = walk(value, 'inputs') as T;
  if (missing.length) throw new MissingEnvError(missing);
  return { value: resolved, redact: makeRedactor(used), names: [...used.keys()], forms: replacements(used).map(([form]) => form) };
}

/** One or more `${env:NAME}` placeholders name variables that are not set. */
export class MissingEnvError extends LabError {
  missing: { key: string; name: string }[];
  constructor(missing: { key: string; name: string }[]) {
    super(missing.map((m) => `\`${m.key}\` uses \${env:${m.name}}, but the environment variable ${m.name} is not set`).join('; '));
    this.missing = missing;
  }
}

/**
 * The forms a secret travels in: as is, URL-encoded (a query string, a form
 * body, upper or lower case hex), and JSON-escaped (a request or response body).
 */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const component = encodeURIComponent(secret);
  forms.add(component);
  forms.add(component.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(new URLSearchParams({ x: secret }).toString().slice(2)); // form encoding: space as +, * kept
  forms.add(encodeURI(secret));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/')); // serializers that escape the slash
  forms.add(JSON.stringify(json).slice(1, -1)); // JSON inside a JSON string
  return [...forms];
}

/** Each form of each secret with the placeholder that replaces it, longest first. */
function replacements(used: Map<string, string>): [form: string, placeholder: string][] {
  const out: [string, string][] = [];
  // Tiny values (e.g. "1") would shred unrelated text and are not secrets anyway.
  for (const [name, secret] of used) if (secret.length >= 4) for (const form of secretForms(secret)) out.push([form, `\${env:${name}}`]);
  // Longest first, so a secret that contains another is replaced whole.
  return out.sort((a, b) => b[0].length - a[0].length);
}

function makeRedactor(used: Map<string, string>): (text: string) => string {
  const pairs = replacements(used);
  if (!pairs.length) return (text) => text;
  const pattern = new RegExp(pairs.map(([form]) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const byForm = new Map(pairs);
  return (text) => text.replace(pattern, (m) => byForm.get(m)!);
}

/**
 * Redacts a stream of output chunks: a secret split across two chunks is
 * still caught, because the end of a chunk that could be the start of a
 * secret is held back until the next chunk (or `end`) decides.
 */
export class StreamRedactor {
  #redact: (text: string) => string;
  #forms: string[];
  #pending = '';

  constructor(secrets: ResolvedSecrets<unknown>) {
    this.#redact = secrets.redact;
    this.#forms = secrets.forms;
  }

  /** Redacted text that is safe to show now. */
  push(chunk: string): string {
    const text = this.#pending + chunk;
    const hold = this.#heldBack(text);
    this.#pending = text.slice(text.length - hold);
    return this.#redact(text.slice(0, text.length - hold));
  }

  /** Whatever was held back, redacted. */
  end(): string {
    const rest = this.#redact(this.#pending);
    this.#pending = '';
    return rest;
  }

  /** Length of the longest end of `text` that is a proper beginning of some secret form. */
  #heldBack(text: string): number {
    let longest = 0;
    for (const form of this.#forms) {
      for (let k = Math.min(form.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(form.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}

/** Applies a redactor to every string in a JSON-like value. */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
