/**
 * Integrations are plugins keyed by entry `type`. This module stays light (no
 * integration code is loaded until an entry of that type runs) because the
 * compiler asks it which types exist.
 */
import type { Integration } from './types.ts';

type Loader = () => Promise<Integration<any>>;

/** Built-in integrations, each loaded only when an entry of its type runs. */
const BUILTINS: Record<string, Loader> = {
  manual: async () => (await import('./integrations/manual.ts')).manual,
  command: async () => (await import('./integrations/command.ts')).command,
  http: async () => (await import('./integrations/http.ts')).http,
  sql: async () => (await import('./integrations/sql.ts')).sql,
  comfyui: async () => (await import('./integrations/comfyui.ts')).comfyui,
  jupyter: async () => (await import('./integrations/jupyter.ts')).jupyter,
};

/** Other names for built-ins (the original design's type names). */
const ALIASES: Record<string, string> = { api_call: 'http', database_query: 'sql' };

const registered = new Map<string, Integration<any>>();

/** Every `type` an entry may have: built-ins, aliases and registered third-party integrations. */
export function knownIntegrationTypes(): Set<string> {
  return new Set([...Object.keys(BUILTINS), ...Object.keys(ALIASES), ...registered.keys()]);
}

/**
 * Registers a third-party integration (and its aliases) so entries of its
 * `type` can run. A registered name overrides a built-in of the same name.
 */
export function registerIntegration<Inputs>(integration: Integration<Inputs>): void {
  if (!integration?.name || typeof integration.execute !== 'function' || !integration.inputsSchema?.['~standard']) {
    throw new TypeError('registerIntegration: an integration needs a `name`, an `inputsSchema` (zod or any Standard Schema) and an `execute` function');
  }
  for (const name of [integration.name, ...(integration.aliases ?? [])]) registered.set(name, integration as Integration<any>);
}

/**
 * Identifies the registered integrations (names and versions), so compiled
 * summaries checked with other integrations are not reused.
 */
export function registeredKey(): string {
  return [...registered]
    .map(([name, i]) => `${name}=${i.name}@${i.version ?? ''}`)
    .sort()
    .join(',');
}

/** The canonical name of a type (resolving aliases), or null when unknown. */
export function canonicalType(type: string): string | null {
  if (registered.get(type)) return registered.get(type)!.name;
  if (BUILTINS[type]) return type;
  if (ALIASES[type]) return ALIASES[type];
  return null;
}

/** Loads the integration for an entry `type`, or returns null when the type is unknown. */
export async function loadIntegration(type: string): Promise<Integration<any> | null> {
  const own = registered.get(type);
  if (own) return own;
  const name = BUILTINS[type] ? type : ALIASES[type];
  return name ? BUILTINS[name]!() : null;
}
