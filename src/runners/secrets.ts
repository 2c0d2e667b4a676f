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
  return { value: resolved, redact: makeRedactor(used), names: [...used.keys()] };
}

/** One or more `${env:NAME}` placeholders name variables that are not set. */
export class MissingEnvError extends LabError {
  missing: { key: string; name: string }[];
  constructor(missing: { key: string; name: string }[]) {
    super(missing.map((m) => `\`${m.key}\` uses \${env:${m.name}}, but the environment variable ${m.name} is not set`).join('; '));
    this.missing = missing;
  }
}

/** True when a string contains an `${env:…}` placeholder. */
export function hasEnvPlaceholder(text: string): boolean {
  return /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/.test(text);
}

function makeRedactor(used: Map<string, string>): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole; tiny values
  // (e.g. "1") would shred unrelated text and are not secrets anyway.
  const pairs = [...used.entries()].filter(([, v]) => v.length >= 4).sort((a, b) => b[1].length - a[1].length);
  if (!pairs.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const [name, secret] of pairs) out = out.split(secret).join(`\${env:${name}}`);
    return out;
  };
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
