/**
 * Astro writes the build's log level into the code of its `virtual:astro:logger` module, which
 * every page imports, and its incremental build hashes the code of a page's modules: a build at
 * another level (`astro build --verbose`, `lab build --quiet`, `LAB_ASTRO_LOG=info`) rendered
 * every page again instead of restoring it. This Vite plugin makes the level a lookup when the
 * pages run, so the module's code is the same at every level.
 */

/** Where the build's log level waits for the pages' logger. */
const LOG_LEVEL = Symbol.for('codex-lab.astro-log-level');

/** Called with the build's level before the pages run (the integration's `astro:config:setup`). */
export function shareLogLevel(level: string): void {
  (globalThis as Record<symbol, unknown>)[LOG_LEVEL] = level;
}

/** The Vite plugin; without a shared level (pages run in another process) the pages log at Astro's default, `info`. */
export function stableLogLevel() {
  return {
    name: 'codex-lab-journal:stable-log-level',
    transform: {
      filter: { id: /^\0virtual:astro:logger$/ },
      handler(code: string) {
        const stable = code.replace(
          /^export const level = "\w+";$/m,
          `export const level = globalThis[Symbol.for(${JSON.stringify(LOG_LEVEL.description)})] ?? "info";`,
        );
        return stable === code ? null : { code: stable, map: null };
      },
    },
  };
}
