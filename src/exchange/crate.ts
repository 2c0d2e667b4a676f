/**
 * RO-Crate 1.1 JSON-LD as the ELN Consortium's `.eln` uses it: a flat `@graph`
 * of nodes that refer to each other by `{ "@id" }`. Helpers that read real-world
 * crates leniently (a `@type` may be an array, a reference may be one object or a
 * list, a value may be inlined where a reference was expected).
 */

/** One node of the graph. */
export type CrateNode = { '@id': string; '@type'?: string | string[] } & Record<string, unknown>;

/** A reference to another node. */
export type Ref = { '@id': string };

export const RO_CRATE_CONTEXT = 'https://w3id.org/ro/crate/1.1/context';
export const RO_CRATE_SPEC = 'https://w3id.org/ro/crate/1.1';
export const DESCRIPTOR_ID = 'ro-crate-metadata.json';
/** The publisher node of crates this tool writes: how an import recognizes its own exports. */
export const PUBLISHER = { '@id': 'https://www.npmjs.com/package/codex-lab-journal', '@type': 'Organization', name: 'Codex lab journal' } as const;
/** Prefix of the root `identifier` of crates this tool writes. */
export const OWN_IDENTIFIER_PREFIX = 'codex-lab-journal:';

export function ref(id: string): Ref {
  return { '@id': id };
}

/** The node's types, whatever form `@type` takes. */
function typesOf(node: CrateNode | undefined): string[] {
  const t = node?.['@type'];
  return Array.isArray(t) ? t.map(String) : t ? [String(t)] : [];
}

export function hasType(node: CrateNode | undefined, type: string): boolean {
  return typesOf(node).includes(type);
}

/** `x`, `[x, y]` or nothing → a list. */
export function list<T = unknown>(value: unknown): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? (value as T[]) : [value as T];
}

/** The ids a property refers to (references, or inlined nodes with an `@id`). */
export function refIds(value: unknown): string[] {
  return list(value).flatMap((v) => (v && typeof v === 'object' && typeof (v as Ref)['@id'] === 'string' ? [(v as Ref)['@id']] : []));
}

/** A plain string value: strings as they are, numbers as text, `{@value}` unwrapped; else null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && '@value' in value) return text((value as { '@value': unknown })['@value']);
  return null;
}

/** Orders a node's keys: `@id`, `@type`, then the rest alphabetically (stable output). */
export function orderKeys(node: CrateNode): CrateNode {
  const out: Record<string, unknown> = { '@id': node['@id'] };
  if (node['@type'] !== undefined) out['@type'] = node['@type'];
  for (const k of Object.keys(node)
    .filter((k) => k !== '@id' && k !== '@type')
    .sort())
    if (node[k] !== undefined) out[k] = node[k];
  return out as CrateNode;
}
