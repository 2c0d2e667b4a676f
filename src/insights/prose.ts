/**
 * Optional prose for the summary from an OpenAI-compatible `/chat/completions`
 * endpoint — the same configuration and call as the session summarizer
 * (src/lab/summarize/model.ts). The model only rephrases: it is given the
 * deterministic sentences and numbers, and its answer is rejected (the
 * deterministic text is kept) if it contains any number or entry id that is not
 * in those sources.
 */
import { redactSecrets } from '../lab/redact.ts';
import { chatCompletion, type ModelSummarizerConfig } from '../lab/summarize/model.ts';

const SYSTEM_PROMPT = `You turn the analysis of a lab journal page into a short paragraph for a scientist.
Use only the facts given. Every number and every entry id you write must appear exactly as given;
do not compute new numbers, round differently or invent ids. Mention the entry ids you talk about.
Answer with the paragraph only: no heading, no list, no code fence.`;

/** Ids the journal uses (`entry-3f9a…`, `page-…`, `nb-…`, `sweep-…`). */
const ID = /\b(?:entry|page|nb|sweep)-[\p{L}\p{N}._-]*[\p{L}\p{N}]/gu;
const NUMBER = /[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?/gi;

/** Numbers and ids the prose writes that the sources do not contain (empty: the prose is faithful). */
export function unsupportedTokens(prose: string, sources: string): string[] {
  const sourceIds = new Set(sources.match(ID) ?? []);
  const sourceNumbers = new Set((sources.replace(ID, ' ').match(NUMBER) ?? []).map(normalNumber));
  const bad: string[] = [];
  for (const id of prose.match(ID) ?? []) if (!sourceIds.has(id)) bad.push(id);
  for (const n of prose.replace(ID, ' ').match(NUMBER) ?? []) if (!sourceNumbers.has(normalNumber(n))) bad.push(n);
  return [...new Set(bad)];
}

/** `+0.030`, `0.03` and `3e-2` are the same number; `-0.03` is not. */
function normalNumber(text: string): string {
  const v = Number(text.replace(/^\+/, ''));
  return Number.isFinite(v) ? String(v) : text;
}

/** Asks the model for prose; throws on any failure or on an answer the sources do not support. */
export async function writeProse(facts: { sentences: string[]; data: unknown }, config: ModelSummarizerConfig): Promise<string> {
  const sources = `${facts.sentences.join('\n')}\n${JSON.stringify(facts.data)}`;
  // Parameter values can hold tokens or connection strings: redacted as for session summaries.
  const content = await chatCompletion(config, SYSTEM_PROMPT, redactSecrets(JSON.stringify({ summary: facts.sentences, analysis: facts.data })));
  const prose = content
    .replace(/^\s*```\w*\s*/, '')
    .replace(/\s*```\s*$/, '')
    .trim();
  const bad = unsupportedTokens(prose, sources);
  if (bad.length) throw new Error(`the model's prose has numbers or ids that are not in the analysis: ${bad.slice(0, 5).join(', ')}`);
  return prose;
}
