/**
 * The keys the runner owns, in the order it writes them. The same list as
 * `RUNNER_KEYS` in src/core/schema/entry.ts (a test keeps them equal); kept
 * here so `lab run` does not load zod's full build just to know six names.
 */
export const RUNNER_KEYS = ['status', 'execution', 'outputs', 'metrics', 'artifacts', 'logs'] as const;
export type RunnerKey = (typeof RUNNER_KEYS)[number];
