/**
 * What the compiler knows about entry types, handed in by whoever calls it (the
 * SDK builds it from the integration registry). The compiler never imports the
 * runners: it only receives the names, and on demand the checks, as plain
 * functions over plain data.
 */

/** One problem in an entry's `inputs`, relative to `inputs`. */
export interface InputIssue {
  /** Key path below `inputs`, e.g. `['parameters', '6.text']`; empty for `inputs` itself. */
  path: (string | number)[];
  /** Plain words that follow the key, e.g. "must be one of GET, POST (got \"FETCH\")". */
  message: string;
  /** Default `error`: a problem `lab run` would refuse. */
  severity?: 'error' | 'warning';
  /** Stable rule name; default `invalid-input`. */
  rule?: string;
}

/** Reads a file an entry names in its inputs (`./workflow.json`), as text; null when missing or outside the workspace. */
export type ReadInputFile = (ref: string) => string | null;

/** The checks of every known type, loaded only when entries are checked. */
export interface InputChecks {
  /** Validates `inputs` against the type's schema; [] when valid (or the type has no schema). */
  validate(type: string, inputs: Record<string, unknown>): InputIssue[];
  /** Whether the type has static checks that read input files (`inspect`). */
  inspects(type: string): boolean;
  /** Static checks that open the input files (a ComfyUI workflow); [] when none apply. */
  inspect(type: string, inputs: Record<string, unknown>, read: ReadInputFile): InputIssue[];
}

/** The entry types a compile accepts; without it, any `type` is accepted and inputs are not checked. */
export interface EntryTypes {
  /** Every accepted `type`: names and aliases. */
  names: ReadonlySet<string>;
  /** Changes whenever the checks may change (a registered integration, a new version): summaries are keyed on it. */
  key: string;
  /** Loads the checks (integration schemas are heavy); called only when entries are parsed or checked. */
  load(): Promise<InputChecks>;
}

/** The closest candidate within edit distance 2 (typo suggestions), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  // Short words allow one edit, others two: `id` must not suggest `ip`.
  let bestD = word.length <= 3 ? 2 : 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  if (best || word.length < 4) return best;
  // A word cut short (`sampler` for `sampler_name`) is farther than two edits but plainly meant.
  const lower = word.toLowerCase();
  const prefixed = [...candidates].filter((c) => c.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** ` (did you mean \`x\`?)` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates);
  return guess && guess !== word ? ` (did you mean \`${guess}\`?)` : '';
}

/** Levenshtein distance: the one edit distance of the project (typo suggestions everywhere). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
