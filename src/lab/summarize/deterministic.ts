/**
 * The default summarizer: deterministic and offline. It distils a raw record
 * into Context / Delta / Verification using only what the record says —
 * the prompts, the files touched (with their derived notes), the commands and
 * their exit codes, and sentences of the replies that name a touched file or a test.
 */
import type { RawSession } from '../schema.ts';

/** The distilled session: what a stub and a doc draft are rendered from. */
export interface SessionDigest {
  id: string;
  title: string;
  start: string | null;
  end: string | null;
  repo: string | null;
  model: string | null;
  branch: string | null;
  commit: string | null;
  /** The ask, then follow-ups, as plain text. */
  context: { ask: string | null; followUps: string[]; narrative: string | null };
  /** One bullet per touched file. */
  delta: { file: string; summary: string; detail: string | null }[];
  verification: {
    /** null when commands were not captured. */
    checks: { command: string; outcome: string; ok: boolean | null }[] | null;
    /** Commands that are not checks (inspection, setup), counted only. */
    otherCommands: number;
    errors: string[];
    /** Sentences of the replies that mention tests or checks. */
    testsMentioned: string[];
    /** Extra verification notes (from a model-backed summarizer). */
    notes: string[];
  };
  /** `deterministic` or `model <name>`. */
  summarizer: string;
}

/** Commands that verify something: tests, type checks, linters, builds, and experiment runs (`lab run`). */
const CHECK_COMMAND = /\b(test|tests|vitest|jest|pytest|mocha|tsc|typecheck|check|lint|eslint|ruff|mypy|cargo (test|check|clippy)|go (test|vet)|make|build|ci|run-entry)\b|\blab(\.mjs)?\s+(run|check|compile)\b/i;
const TEST_WORDS = /\b(tests?|passed|passing|failed|failing|typecheck|vitest|pytest|jest|lint|green|red)\b/i;

export function digestSession(record: RawSession): SessionDigest {
  const prompts = record['lab/user-messages'].map((m) => m.text.trim()).filter(Boolean);
  const replies = record['lab/assistant-messages'].map((m) => m.text);
  const sentences = replies.flatMap(splitSentences);
  const notes = new Map((record['lab/file-notes'] ?? []).map((n) => [n.file, n.summary]));
  const delta = record['lab/files-touched'].map((file) => ({
    file,
    summary: notes.get(file) ?? 'changed',
    detail: mentionOf(file, sentences),
  }));
  const runs = record['lab/command-runs'] ?? (record['lab/commands'] ? record['lab/commands'].map((command) => ({ command, 'exit-code': null, 'duration-seconds': null })) : null);
  let checks: SessionDigest['verification']['checks'] = null;
  let otherCommands = 0;
  if (runs) {
    checks = [];
    for (const r of runs) {
      if (!CHECK_COMMAND.test(r.command)) {
        otherCommands++;
        continue;
      }
      const code = r['exit-code'];
      const took = r['duration-seconds'] !== null ? ` in ${formatSeconds(r['duration-seconds'])}` : '';
      checks.push({ command: r.command, ok: code === null ? null : code === 0, outcome: code === null ? 'outcome not recorded' : code === 0 ? `passed (exit 0${took})` : `failed (exit ${code}${took})` });
    }
  }
  const mentioned = unique(sentences.filter((s) => TEST_WORDS.test(s)).map((s) => clip(s, 240))).slice(0, 8);
  return {
    id: record['lab/session-id'],
    title: titleOf(prompts[0] ?? null, record['lab/session-id']),
    start: record['lab/timestamp-start'] ?? null,
    end: record['lab/timestamp-end'] ?? null,
    repo: record['lab/repo-root'] ?? null,
    model: record['lab/model'] ?? null,
    branch: record['lab/git']?.branch ?? null,
    commit: record['lab/git']?.commit ?? null,
    context: { ask: prompts[0] ?? null, followUps: prompts.slice(1), narrative: null },
    delta,
    verification: { checks, otherCommands, errors: record['lab/errors'] ?? [], testsMentioned: mentioned, notes: [] },
    summarizer: 'deterministic',
  };
}

/** A title from the first prompt: its first line, at most 80 characters. */
export function titleOf(prompt: string | null, id: string): string {
  const line = prompt?.split('\n').map((l) => l.trim()).find(Boolean);
  return line ? clip(line, 80) : `Session ${id}`;
}

function mentionOf(file: string, sentences: string[]): string | null {
  const base = file.split('/').pop() ?? file;
  // The last mention is usually the outcome ("Added …"), the first one the plan ("I'll add …").
  const hit = sentences.findLast((s) => s.includes(file)) ?? (base.length > 3 ? sentences.findLast((s) => s.includes(base)) : undefined);
  return hit ? clip(hit, 240) : null;
}

function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z`*(-])/)
    .map((s) => s.replace(/^[-*•\d.)\s]+/, '').trim())
    .filter((s) => s.length > 3);
}

function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function formatSeconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${Math.round(s * 10) / 10} s`;
}
