/**
 * `lab insights` as a function: entries of a page or notebook in, a report out
 * — effects ranked by importance, the best entry per metric, a summary citing
 * entry ids and next-step suggestions. Deterministic: the same journal, seed
 * and options give the same report, byte for byte.
 */
import type { Entry } from '../core/model.ts';
import type { ModelSummarizerConfig } from '../lab/summarize/model.ts';
import { type Best, bestPerMetric, varyingParams } from './best.ts';
import { computeEffects, type Effect } from './effects.ts';
import type { InputsHasher } from './inputs-hashes.ts';
import { pairedDeltas } from './paired.ts';
import { writeProse } from './prose.ts';
import { samplesOf } from './samples.ts';
import { type Suggestion, suggest } from './suggest.ts';
import { type Sentence, summarize } from './summary.ts';

export interface InsightsOptions {
  /** Only these metrics (default every metric, and the rating). */
  metrics?: string[];
  /** Seed of the permutation tests (default 0). */
  seed?: number;
  alpha?: number;
  goals?: Record<string, 'maximize' | 'minimize'>;
  /** How many suggestions (default 5). */
  suggestions?: number;
  /** Needed for suggestions (they must not repeat an existing inputs hash); none without it. */
  hasher?: InputsHasher;
  /** Inputs hashes already taken, hash → entry id. */
  taken?: ReadonlyMap<string, string>;
  /** Upper bound on permutations per test (see EffectOptions). */
  maxPermutations?: number;
  /** An OpenAI-compatible model to phrase the summary; null = deterministic only. */
  model?: ModelSummarizerConfig | null;
}

export interface InsightsReport {
  scope: { kind: 'page' | 'notebook' | 'journal'; id: string | null; title: string };
  entries: { total: number; analysed: number; failed: string[]; stale: string[] };
  /** The metric suggestions aim at: the requested one, else the one with the strongest significant effect, else the most common. */
  primary_metric: string | null;
  effects: Effect[];
  best: Best[];
  summary: { sentences: Sentence[]; text: string; prose: string | null; source: string; fallback: string | null };
  suggestions: Suggestion[];
  settings: { seed: number; alpha: number };
}

export async function analyzeEntries(scope: InsightsReport['scope'], entries: readonly Entry[], options: InsightsOptions = {}): Promise<InsightsReport> {
  const seed = options.seed ?? 0;
  const alpha = options.alpha ?? 0.05;
  const samples = samplesOf(entries);
  const varying = varyingParams(samples);
  const paired = pairedDeltas(samples);
  const effects = computeEffects(samples, paired, { seed, alpha, metrics: options.metrics, goals: options.goals, maxPermutations: options.maxPermutations });
  const best = bestPerMetric(samples, varying, options.goals).filter((b) => !options.metrics?.length || options.metrics.includes(b.metric));
  const primary = primaryMetric(options.metrics, effects, best);
  const sentences = summarize({ title: scope.title, entries, samples, varying, effects, best, paired, primary });
  const suggestions = options.hasher
    ? await suggest({ entries, effects, best, primary, hasher: options.hasher, taken: options.taken ?? new Map(), limit: options.suggestions ?? 5 })
    : [];
  const text = sentences.map((s) => s.text).join(' ');
  let prose: string | null = null;
  let fallback: string | null = null;
  if (options.model) {
    try {
      prose = await writeProse({ sentences: sentences.map((s) => s.text), data: { effects, best } }, options.model);
    } catch (e) {
      fallback = `model prose rejected, kept the deterministic summary: ${(e as Error).message}`;
    }
  }
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    scope,
    entries: {
      total: entries.length,
      analysed: samples.length,
      failed: sorted.filter((e) => e.status === 'failed' || e.status === 'interrupted').map((e) => e.id),
      stale: sorted.filter((e) => e.stale).map((e) => e.id),
    },
    primary_metric: primary,
    effects,
    best,
    summary: { sentences, text, prose, source: prose && options.model ? `model ${options.model.model}` : 'deterministic', fallback },
    suggestions,
    settings: { seed, alpha },
  };
}

function primaryMetric(requested: string[] | undefined, effects: readonly Effect[], best: readonly Best[]): string | null {
  if (requested?.length) return requested[0]!;
  const strongest = effects.filter((e) => e.significant).sort((a, b) => b.importance - a.importance || (a.metric < b.metric ? -1 : 1))[0];
  if (strongest) return strongest.metric;
  const common = [...best].sort((a, b) => b.n - a.n || (a.metric < b.metric ? -1 : 1))[0];
  return common?.metric ?? null;
}
