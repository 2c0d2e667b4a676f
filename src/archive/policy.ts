/**
 * Which strategy and age cut-off apply to an entry. Precedence: the entry's own
 * `archive:` key, then the command line, then the notebook's settings, then the
 * built-in default. There is no built-in age: like `dvc gc`, archiving without
 * a scope (no `--older-than`, no `auto_archive_days`) touches nothing.
 */
import { UsageError } from '../core/diagnostics.ts';
import type { NotebookSettings } from '../core/schema/notebook.ts';

/** What archiving does to an artifact's bytes. */
export type ArchiveStrategy = 'thumbnail' | 'compress' | 'drop';

const STRATEGIES: readonly ArchiveStrategy[] = ['thumbnail', 'compress', 'drop'];
const DEFAULT_STRATEGY: ArchiveStrategy = 'thumbnail';

/** Exemptions, configurable in `lab.config.yaml` under `archive:`. */
export interface Exemptions {
  /** Entries rated at least this are never archived (default 4; 0 turns the rule off). */
  keepRating: number;
  /** Entries that are `parent`/`variation_of` of an entry newer than the cut-off are kept (default true). */
  keepAncestorsOfRecent: boolean;
}

export const DEFAULT_EXEMPTIONS: Exemptions = { keepRating: 4, keepAncestorsOfRecent: true };

/** `90d`, `12w`, `6m` (30-day months), `1y` (365 days), or a bare number of days → days. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([dwmy]?)$/i.exec(text.trim());
  if (!m) throw new UsageError(`--older-than expects an age like 90d, 12w, 6m or 1y, not '${text}'`);
  const unit = { '': 1, d: 1, w: 7, m: 30, y: 365 }[m[2]!.toLowerCase() as '' | 'd' | 'w' | 'm' | 'y'];
  return Number(m[1]) * unit;
}

export function parseStrategy(text: string): ArchiveStrategy {
  if ((STRATEGIES as readonly string[]).includes(text)) return text as ArchiveStrategy;
  throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, not '${text}'`);
}

/** The notebook's `archive_strategy` as a strategy, `keep` for `none`, or null when it says nothing. */
function notebookStrategy(settings: NotebookSettings | undefined): ArchiveStrategy | 'keep' | null {
  const s = settings?.archive_strategy;
  if (!s) return null;
  if (s === 'none') return 'keep';
  return s === 'metadata' ? 'drop' : s;
}

/** The strategy for one entry: entry > command line > notebook > default; `keep` exempts it. */
export function resolveStrategy(
  entryOverride: string | undefined,
  flag: ArchiveStrategy | undefined,
  settings: NotebookSettings | undefined,
): ArchiveStrategy | 'keep' {
  if (entryOverride === 'keep' || (STRATEGIES as readonly string[]).includes(entryOverride ?? '')) return entryOverride as ArchiveStrategy | 'keep';
  const fromNotebook = notebookStrategy(settings);
  if (fromNotebook === 'keep') return 'keep';
  return flag ?? fromNotebook ?? DEFAULT_STRATEGY;
}

/** The age in days past which an entry is archived: command line, else the notebook's `auto_archive_days`, else none. */
export function resolveAgeDays(flag: number | undefined, settings: NotebookSettings | undefined): number | null {
  return flag ?? settings?.auto_archive_days ?? null;
}
