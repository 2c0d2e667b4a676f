/**
 * Integrations are plugins keyed by entry `type`. This module stays light (no
 * integration code is loaded until an entry of that type runs) because the
 * compiler asks it which types exist.
 *
 * OWNER: runners. The compiler only relies on `knownIntegrationTypes()`.
 */

/** Built-in integration names and aliases, resolved lazily. */
const BUILTIN_TYPES = ['manual', 'command', 'http', 'api_call', 'sql', 'database_query', 'comfyui', 'jupyter'];

const registered = new Set<string>();

/** Every `type` an entry may have: built-ins, aliases and registered third-party integrations. */
export function knownIntegrationTypes(): Set<string> {
  return new Set([...BUILTIN_TYPES, ...registered]);
}

/** Placeholder until the runner engine lands; see src/runners/. */
export function registerIntegrationName(name: string): void {
  registered.add(name);
}
