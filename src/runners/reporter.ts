/** What the engine tells the outside world while entries run (the CLI draws it; the SDK may listen). Defined in core: the SDK handles pass them through. */
export type { Reporter, RunOutcome, RunResult } from '../core/run-types.ts';
