/** `{{parameters.name}}` substitution, shared by integrations that apply `parameters` to text. */

const PARAMETER_PLACEHOLDER = /\{\{\s*parameters\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/** Text for a parameter value: strings as they are, everything else as JSON. */
export function parameterText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Names used by placeholders anywhere in `value` (strings, arrays, objects). */
function placeholderNames(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(PARAMETER_PLACEHOLDER)) out.push(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** Replaces placeholders in every string inside `value`. */
export function substituteParameters<T>(value: T, params: Record<string, unknown>): T {
  if (typeof value === 'string') return value.replace(PARAMETER_PLACEHOLDER, (_, name: string) => parameterText(params[name])) as T;
  if (Array.isArray(value)) return value.map((v) => substituteParameters(v, params)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParameters(v, params)])) as T;
  }
  return value;
}

/** True when every placeholder in `value` names a defined parameter. */
export function placeholdersDefined(value: unknown, params: Record<string, unknown> | undefined): boolean {
  return placeholderNames(value).every((name) => params !== undefined && Object.hasOwn(params, name));
}
