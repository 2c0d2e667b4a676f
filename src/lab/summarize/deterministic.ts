/**
 * The default summarizer: deterministic and offline. It distils a raw record
 * into Context / Delta / Verification using only what the record says —
 * the prompts, the files touched (with their derived notes), the commands and
 * their exit codes, and sentences of the replies that name a touched file or a test.
 */
import type { RawSession } from '../schema.ts';
import { type CheckKind, classifyCheck } from './checks.ts';

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
    checks: { command: string; kind: CheckKind; outcome: string; ok: boolean | null }[] | null;
    /** Commands that are not checks (inspection, setup), counted only. */
    otherCommands: number;
    errors: string[];
    /** Sentences of the replies that mention tests or checks. */
    testsMentioned: string[];
    /** Extra verification notes (from a model-backed summarizer). */
    notes: string[];
    /** Tool calls whose arguments could not be read. */
    unparsedCalls: number;
  };
  /** `deterministic` or `model <name>`. */
  summarizer: string;
}

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
  const runs =
    record['lab/command-runs'] ??
    (record['lab/commands'] ? record['lab/commands'].map((command) => ({ command, 'exit-code': null, 'duration-seconds': null })) : null);
  let checks: SessionDigest['verification']['checks'] = null;
  let otherCommands = 0;
  if (runs) {
    checks = [];
    for (const r of runs) {
      const kind = classifyCheck(r.command);
      if (!kind) {
        otherCommands++;
        continue;
      }
      const code = r['exit-code'];
      const took = r['duration-seconds'] !== null ? ` in ${formatSeconds(r['duration-seconds'])}` : '';
      checks.push({
        command: r.command,
        kind,
        ok: code === null ? null : code === 0,
        outcome: code === null ? 'outcome not recorded' : code === 0 ? `passed (exit 0${took})` : `failed (exit ${code}${took})`,
      });
    }
  }
  const mentioned = unique(sentences.filter((s) => TEST_WORDS.test(s)).map((s) => clip(s, 240))).slice(0, 8);
  return {
    id: record['lab/session-id'],
    title: sessionTitle(
      prompts,
      delta.map((d) => d.file),
      record['lab/session-id'],
    ),
    start: record['lab/timestamp-start'] ?? null,
    end: record['lab/timestamp-end'] ?? null,
    repo: record['lab/repo-root'] ?? null,
    model: record['lab/model'] ?? null,
    branch: record['lab/git']?.branch ?? null,
    commit: record['lab/git']?.commit ?? null,
    context: { ask: prompts[0] ?? null, followUps: prompts.slice(1), narrative: null },
    delta,
    verification: {
      checks,
      otherCommands,
      errors: record['lab/errors'] ?? [],
      testsMentioned: mentioned,
      notes: [],
      unparsedCalls: record['lab/unparsed-tool-calls'] ?? 0,
    },
    summarizer: 'deterministic',
  };
}

/** Openers that ask for nothing yet: greetings, pings, "read the repo first". */
const WARM_UP =
  /^(hi|hello|hey|yo|ping|test(ing)?|are you (there|ready|up|working)|can you (hear|see) me|good (morning|afternoon|evening)|thanks?( you)?|ok(ay)?|continue|go on|start|begin|let'?s (start|begin|go)|(please )?(read|look at|check out|skim) (the )?(agents(\.md)?|readme(\.md)?|repo(sitory)?|codebase|project)|look around|familiari[sz]e yourself|get familiar|explore( the (repo|code(base)?))?|what (is|does) this (repo|project)( do)?)\b/i;

const TASK_VERB =
  /^(add|fix|make|write|remove|delete|update|refactor|implement|create|rename|run|build|test|document|explain|debug|bump|upgrade|move|port|review|commit|push|deploy|install|optimi[sz]e|speed|clean|format|lint|merge|rebase|revert|translate|convert|migrate)$/i;

/** Whether a prompt is a short warm-up rather than the task. */
export function isWarmUp(prompt: string): boolean {
  const text = prompt.trim().replace(/[.!?\s]+$/, '');
  if (text.length > 80) return false;
  if (WARM_UP.test(text)) return true;
  // Two words or fewer, no verb of a task, nothing that names code ("hi there", "ready?").
  const words = text.split(/\s+/);
  return words.length <= 2 && !TASK_VERB.test(words[0]!) && !/[./`(_]/.test(text);
}

/**
 * The stub title: the first prompt, unless it is a short warm-up — then what
 * the session changed (its files), or else the first prompt that asks for something.
 */
export function sessionTitle(prompts: string[], files: string[], id: string): string {
  if (!prompts.length || !isWarmUp(prompts[0]!)) return titleOf(prompts[0] ?? null, id);
  if (files.length) {
    const names = files.slice(0, 3).join(', ');
    return clip(`Changed ${names}${files.length > 3 ? ` and ${files.length - 3} more file${files.length === 4 ? '' : 's'}` : ''}`, 80);
  }
  const task = prompts.find((p) => !isWarmUp(p));
  return titleOf(task ?? prompts[0] ?? null, id);
}

/** A title from the first prompt: its first line, at most 80 characters. */
export function titleOf(prompt: string | null, id: string): string {
  const line = prompt
    ?.split('\n')
    .map((l) => l.trim())
    .find(Boolean);
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
