import { createHash } from 'node:crypto';

/** `sha256:<hex>` of bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeysDeep(value), null, indent);
}

export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      // `out.__proto__ = v` would set the prototype and lose the key: a user's `__proto__:` is data.
      if (k === '__proto__') Object.defineProperty(out, k, { value: sortKeysDeep(v), enumerable: true, writable: true, configurable: true });
      else out[k] = sortKeysDeep(v);
    }
    return out;
  }
  return value;
}
