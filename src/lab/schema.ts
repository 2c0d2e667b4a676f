/**
 * The raw session record, `lab/raw/<session-id>.json` (README: "Codex sessions"): the
 * single source of truth for its type, its validation and its error messages.
 * Keys are namespaced strings (`lab/…`) so the record can go to XTDB as is.
 */
import { z } from 'zod';

const isoTimestamp = z
  .string({ error: 'must be an ISO-8601 UTC timestamp, e.g. 2026-01-02T16:39:45.332Z' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, {
    error: 'must be an ISO-8601 timestamp with a zone, e.g. 2026-01-02T16:39:45.332Z',
  });

/** One message, in session order. */
const messageSchema = z.object(
  {
    /** Stable id: `<session-id>:u001` for user messages, `<session-id>:a001` for assistant messages. */
    id: z.string({ error: 'must be a message id like <session-id>:u001' }).regex(/^.+:[ua]\d{3,}$/, {
      error: 'must be a message id like <session-id>:u001',
    }),
    /** When the message was recorded (UTC); null in legacy rollouts that carry no per-line timestamps. */
    timestamp: isoTimestamp.nullable(),
    /** The text as typed (user) or shown (assistant), secrets redacted. */
    text: z.string({ error: 'must be a string' }),
  },
  { error: 'must be a message object {id, timestamp, text}' },
);

/** One shell command and how it ended (captured with `--capture commands`). */
const commandRunSchema = z.object({
  /** The command line, secrets redacted. */
  command: z.string(),
  /** Exit code, or null when the rollout does not say. */
  'exit-code': z.number().int().nullable(),
  /** Wall time in seconds when known. */
  'duration-seconds': z.number().nonnegative().nullable(),
});

/** A per-file note derived for summaries. */
const fileNoteSchema = z.object({
  /** Repo-relative (or absolute, outside the repo) path. */
  file: z.string(),
  /** One line about what changed in the file. */
  summary: z.string(),
  /** Related URLs or repo paths. */
  links: z.array(z.string()).optional(),
});

/** Git state at the start of the session (from `session_meta.git`). */
const gitSchema = z.object({
  commit: z.string().nullable(),
  branch: z.string().nullable(),
  /** Remote URL (`git@github.com:o/r.git` or https); used to link files on their host. */
  'repository-url': z.string().nullable(),
});

export const CAPTURE_LEVELS = ['summary', 'commands', 'full'] as const;
export type CaptureLevel = (typeof CAPTURE_LEVELS)[number];

export const rawSessionSchema = z.object(
  {
    /** Unique per session: the rollout id (a UUID). Also the file name and the XTDB document id. */
    'lab/session-id': z
      .string({ error: 'must be the rollout id (a UUID string)' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be an id: letters, digits, `.`, `_` or `-`' }),
    /** Absolute path of the repo root the session worked in. */
    'lab/repo-root': z.string({ error: 'must be an absolute path' }).nullable().optional(),
    /** Session start (UTC). */
    'lab/timestamp-start': isoTimestamp.nullable().optional(),
    /** Last recorded activity (UTC). */
    'lab/timestamp-end': isoTimestamp.nullable().optional(),
    /** What the user typed, in order (injected context such as AGENTS.md is not included). */
    'lab/user-messages': z.array(messageSchema, { error: 'must be a list of messages' }),
    /** What the agent answered, in order, de-duplicated. */
    'lab/assistant-messages': z.array(messageSchema, { error: 'must be a list of messages' }),
    /** Repo-relative path of a trace Org file. */
    'lab/trace-path': z.string().optional(),
    /** Files changed in the session: repo-relative inside the repo, sorted, unique. */
    'lab/files-touched': z.array(z.string({ error: 'each file must be a string path' }), { error: 'must be a list of paths' }),
    /** Shell commands run (opt-in: `--capture commands`). */
    'lab/commands': z.array(z.string()).optional(),
    /** Error summaries: non-zero exits, failed patches, errors, aborted turns (opt-in). */
    'lab/errors': z.array(z.string()).optional(),
    /** Manual annotations; kept across re-imports. */
    'lab/notes': z.string().optional(),
    /** Repo-relative path of the doc draft (`lab/doc-drafts/<id>.json`). */
    'lab/doc-draft-path': z.string().optional(),
    /** Derived per-file notes for summaries. */
    'lab/file-notes': z.array(fileNoteSchema).optional(),
    /** Extension: how many touched files outside the repository were left out of `lab/files-touched` (absolute paths are not kept). */
    'lab/files-outside-repo': z.number().int().nonnegative().optional(),
    /** Extension: each command with its exit code and duration (opt-in, with `lab/commands`). */
    'lab/command-runs': z.array(commandRunSchema).optional(),
    /** Extension: the model from `turn_context`. */
    'lab/model': z.string().optional(),
    /** Extension: the Codex CLI version that wrote the rollout. */
    'lab/cli-version': z.string().optional(),
    /** Extension: git state at session start. */
    'lab/git': gitSchema.optional(),
    /** Extension: the session this one was forked from. */
    'lab/forked-from': z.string().optional(),
    /** Extension: tool calls whose arguments were not valid JSON (counted, not interpreted; opt-in with `lab/commands`). */
    'lab/unparsed-tool-calls': z.number().int().nonnegative().optional(),
    /** Extension: the capture level the record was imported with. */
    'lab/capture': z.enum(CAPTURE_LEVELS).optional(),
  },
  { error: 'a session record must be a JSON object with lab/* keys' },
);

/** A validated raw session record. */
export type RawSession = z.infer<typeof rawSessionSchema>;
export type CommandRun = z.infer<typeof commandRunSchema>;

/** The keys the schema knows; anything else is reported as a warning. */
export const RAW_SESSION_KEYS: readonly string[] = Object.keys(rawSessionSchema.shape);
