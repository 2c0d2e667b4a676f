/** The normalised shape of one Codex session, whatever rollout generation it came from. */

export interface TimedText {
  timestamp: string | null;
  text: string;
}

/** A tool call joined with its output and, when present, its exec/patch events. */
export interface ToolCall {
  callId: string;
  timestamp: string | null;
  tool: string;
  command: string | null;
  patch: string | null;
  workdir: string | null;
  exitCode: number | null;
  duration: number | null;
  output: string | null;
  /** The command's stderr when the rollout keeps it apart (`exec_command_end.stderr`). */
  stderr: string | null;
  /** apply_patch outcome from `patch_apply_end` (null when not reported). */
  patchSuccess: boolean | null;
  /** Paths (usually absolute) and change kinds from `patch_apply_begin/end.changes`. */
  patchChanges: { path: string; kind: string }[];
  patchError: string | null;
}

/** One step of the full transcript (`--capture full`). */
export interface TranscriptItem {
  timestamp: string | null;
  kind: 'user' | 'assistant' | 'reasoning' | 'tool-call' | 'tool-output' | 'error';
  text: string;
  call_id?: string;
  tool?: string;
  exit_code?: number | null;
}

export interface ParsedRollout {
  id: string;
  format: 'envelope' | 'legacy';
  start: string | null;
  end: string | null;
  cwd: string | null;
  cliVersion: string | null;
  model: string | null;
  git: { commit: string | null; branch: string | null; repositoryUrl: string | null } | null;
  forkedFrom: string | null;
  userMessages: TimedText[];
  assistantMessages: TimedText[];
  calls: ToolCall[];
  /** Errors not tied to a call: `error` events, aborted turns. */
  eventErrors: TimedText[];
  /** Tool calls whose arguments were not valid JSON: counted, not interpreted. */
  unparsedCalls: { line: number; tool: string }[];
  transcript: TranscriptItem[];
}
