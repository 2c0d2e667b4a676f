/**
 * The optional model-backed summarizer: asks an OpenAI-compatible
 * `/chat/completions` endpoint (configured by the user) to phrase the Context,
 * the per-file Delta and Verification notes. It only refines the deterministic
 * digest — files and outcomes still come from the record — and any failure
 * (network, status, timeout, unusable answer) falls back to the deterministic one.
 */
import { request } from 'undici';
import { z } from 'zod';
import { redactSecrets } from '../redact.ts';
import type { RawSession } from '../schema.ts';
import type { SessionDigest } from './deterministic.ts';

/** Where the model lives. The API key comes from the environment only, never from a file. */
export interface ModelSummarizerConfig {
  /** Base URL (`http://127.0.0.1:8080/v1`) or the full `/chat/completions` URL. */
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

/** Reads `LAB_SUMMARIZER_URL` / `_MODEL` / `_API_KEY` / `_TIMEOUT_MS`, then `summarizer: {url, model}` in lab.config.yaml. */
export function modelSummarizerConfig(env: NodeJS.ProcessEnv, fileConfig: Record<string, unknown> | undefined): ModelSummarizerConfig | null {
  const fromFile = (fileConfig?.summarizer ?? {}) as { url?: unknown; model?: unknown };
  const url = env.LAB_SUMMARIZER_URL || (typeof fromFile.url === 'string' ? fromFile.url : '');
  if (!url) return null;
  const model = env.LAB_SUMMARIZER_MODEL || (typeof fromFile.model === 'string' ? fromFile.model : '') || 'gpt-4o-mini';
  const timeoutMs = Number(env.LAB_SUMMARIZER_TIMEOUT_MS) > 0 ? Number(env.LAB_SUMMARIZER_TIMEOUT_MS) : 60_000;
  return { url, model, apiKey: env.LAB_SUMMARIZER_API_KEY || null, timeoutMs };
}

const answerSchema = z.object({
  context: z.string().min(1),
  files: z.array(z.object({ file: z.string(), summary: z.string().min(1) })).default([]),
  verification: z.array(z.string()).default([]),
});

/** Wording about the conversation rather than the code: the stub policy rules it out. */
const CHAT_RECAP = /\b(the user (asked|wanted|requested|said)|the assistant (said|replied|answered)|in this (chat|conversation)|we (discussed|talked))\b/i;

const SYSTEM_PROMPT = `You distil a coding-agent session into an engineering note about code changes and outcomes.
Answer with one JSON object only: {"context": string, "files": [{"file": string, "summary": string}], "verification": [string]}.
- context: 1-3 sentences on the goal and the state of the code before the change.
- files: one short line per file in files_touched saying what changed in it; only those files.
- verification: how the change was verified (commands and their outcome, tests), or that it was not.
Write about the code, not about the conversation: no "the user asked", "the assistant said", no recap of the chat.`;

/**
 * One chat completion from an OpenAI-compatible endpoint at temperature 0: the answer's text, or an
 * error naming the endpoint (HTTP status, no content). The one model call of the project (session
 * summaries, insights prose); `user` must already be redacted.
 */
export async function chatCompletion(config: ModelSummarizerConfig, system: string, user: string): Promise<string> {
  const endpoint = /\/chat\/completions\/?$/.test(config.url) ? config.url : `${config.url.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const res = await request(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      model: config.model,
      temperature: 0,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
    }),
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new Error(`POST ${endpoint} returned HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  }
  const content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim()) throw new Error(`POST ${endpoint}: the answer has no choices[0].message.content`);
  return content;
}

/** Refines `digest` with the model's phrasing; throws on any failure (the caller falls back). */
export async function refineWithModel(record: RawSession, digest: SessionDigest, config: ModelSummarizerConfig): Promise<SessionDigest> {
  const facts = {
    prompts: record['lab/user-messages'].map((m) => m.text),
    replies: record['lab/assistant-messages'].map((m) => m.text.slice(0, 4000)),
    files_touched: record['lab/files-touched'],
    file_notes: record['lab/file-notes'] ?? [],
    commands: record['lab/command-runs'] ?? null,
    errors: record['lab/errors'] ?? null,
  };
  const content = await chatCompletion(config, SYSTEM_PROMPT, redactSecrets(JSON.stringify(facts)));
  const json = content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
  const answer = answerSchema.parse(JSON.parse(json));
  const all = [answer.context, ...answer.files.map((f) => f.summary), ...answer.verification].join('\n');
  if (CHAT_RECAP.test(all)) throw new Error('the model answered with a chat recap, not a note about the code');
  const byFile = new Map(answer.files.map((f) => [f.file, f.summary]));
  return {
    ...digest,
    context: { ...digest.context, narrative: redactSecrets(answer.context) },
    // Files come from the record; the model only phrases them (and cannot add any).
    delta: digest.delta.map((f) => ({ ...f, detail: byFile.has(f.file) ? redactSecrets(byFile.get(f.file) as string) : f.detail })),
    verification: { ...digest.verification, notes: answer.verification.map(redactSecrets) },
    summarizer: `model ${config.model}`,
  };
}
