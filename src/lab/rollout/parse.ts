/**
 * Turns the lines of a Codex rollout — the current `{timestamp, type, payload}`
 * envelope or the legacy pre-envelope form — into one normalised session:
 * real prompts, de-duplicated replies, tool calls joined with their outputs,
 * patches, and errors. Unknown line types are skipped, never fatal.
 */
import type { ParsedRollout, TimedText, ToolCall, TranscriptItem } from './model.ts';
import type { ReadProblem, RolloutLine } from './read.ts';
import { contentText, isInjectedContext, str, stringify, utc } from './text.ts';
import { durationSeconds, firstLine, interpretToolCall, interpretToolOutput } from './tools.ts';

export type { ParsedRollout, ToolCall, TranscriptItem } from './model.ts';

export type ParseOutcome = { ok: true; session: ParsedRollout; problems: ReadProblem[] } | { ok: false; problems: ReadProblem[] };

/** Parses rollout lines; fails (with a problem at line 1) when the file is not a Codex rollout. */
export function parseRollout(lines: RolloutLine[]): ParseOutcome {
  const problems: ReadProblem[] = [];
  if (!lines.length) return { ok: false, problems: [{ line: 1, column: 1, message: 'no JSON lines: not a Codex rollout', fatal: true }] };
  const first = lines[0]!.value;
  const legacy = typeof first.id === 'string' && first.type === undefined && first.record_type === undefined;
  const s: ParsedRollout = {
    id: '',
    format: legacy ? 'legacy' : 'envelope',
    start: null,
    end: null,
    cwd: null,
    cliVersion: null,
    model: null,
    git: null,
    forkedFrom: null,
    userMessages: [],
    assistantMessages: [],
    calls: [],
    eventErrors: [],
    unparsedCalls: [],
    transcript: [],
  };
  const eventUsers: TimedText[] = [];
  const itemUsers: TimedText[] = [];
  const calls = new Map<string, ToolCall>();
  /** Unified exec sessions still running → the command that started them; write_stdin call → its session. */
  const execSessions = new Map<string, ToolCall>();
  const stdinSession = new Map<string, unknown>();
  let turnReplies = new Set<string>();
  // The same prompt arrives as an event and as a response item; the transcript keeps one source.
  const itemUserSteps = new Set<TranscriptItem>();
  const eventUserSteps = new Set<TranscriptItem>();
  let sawMeta = false;
  let sawKnownLine = false;

  const call = (callId: string, timestamp: string | null): ToolCall => {
    let c = calls.get(callId);
    if (!c) {
      c = {
        callId,
        timestamp,
        tool: '',
        command: null,
        patch: null,
        workdir: null,
        exitCode: null,
        duration: null,
        output: null,
        stderr: null,
        patchSuccess: null,
        patchChanges: [],
        patchError: null,
      };
      calls.set(callId, c);
    }
    return c;
  };
  const reply = (timestamp: string | null, text: string) => {
    if (!text.trim() || turnReplies.has(text)) return;
    turnReplies.add(text);
    s.assistantMessages.push({ timestamp, text });
    s.transcript.push({ timestamp, kind: 'assistant', text });
  };
  const meta = (p: Record<string, unknown>, timestamp: string | null) => {
    if (sawMeta) return; // a resumed session may repeat its meta line
    sawMeta = true;
    s.id = String(p.id ?? '');
    s.start = utc(str(p.timestamp) ?? timestamp);
    s.cwd = str(p.cwd);
    s.cliVersion = str(p.cli_version);
    s.forkedFrom = str(p.forked_from_id);
    const git = p.git as Record<string, unknown> | null | undefined;
    if (git && typeof git === 'object') {
      s.git = { commit: str(git.commit_hash), branch: str(git.branch), repositoryUrl: str(git.repository_url) };
    }
  };

  const responseItem = (p: Record<string, unknown>, ts: string | null, n: number) => {
    switch (p.type) {
      case 'message': {
        const text = contentText(p.content);
        if (p.role === 'user') {
          if (!isInjectedContext(text)) {
            itemUsers.push({ timestamp: ts, text });
            turnReplies = new Set();
            const item: TranscriptItem = { timestamp: ts, kind: 'user', text };
            itemUserSteps.add(item);
            s.transcript.push(item);
          } else if (!s.cwd) s.cwd = /<cwd>([^<]+)<\/cwd>/.exec(text)?.[1]?.trim() ?? null;
        } else if (p.role === 'assistant') reply(ts, text);
        return;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const callId = str(p.call_id) ?? str(p.id) ?? `line-${calls.size}`;
        const c = call(callId, ts);
        c.timestamp ??= ts;
        let args: unknown;
        if (p.type === 'local_shell_call') {
          c.tool = 'local_shell';
          const action = (p.action ?? {}) as Record<string, unknown>;
          args = { command: action.command, workdir: action.working_directory };
        } else {
          c.tool = String(p.name ?? '');
          const raw = p.type === 'custom_tool_call' ? p.input : p.arguments;
          args = raw;
          if (typeof raw === 'string' && p.type === 'function_call') {
            try {
              args = JSON.parse(raw);
            } catch {
              args = raw;
              // Truncated or malformed arguments: the call happened, but what it ran is unknown.
              s.unparsedCalls.push({ line: n, tool: c.tool || 'unknown tool' });
              problems.push({
                line: n,
                column: 1,
                message: `${c.tool || 'tool'} call ${callId}: its arguments are not valid JSON; counted, not interpreted`,
                fatal: false,
                severity: 'warning',
              });
            }
          }
        }
        if (c.tool === 'write_stdin' && args && typeof args === 'object') {
          const a = args as Record<string, unknown>;
          // Ctrl-C sent by the agent stops a server it started: that exit says nothing about the command.
          if (!(typeof a.chars === 'string' && a.chars.includes('\u0003'))) stdinSession.set(callId, a.session_id);
        }
        const inv = interpretToolCall(c.tool, args);
        c.command ??= inv.command;
        c.patch ??= inv.patch;
        c.workdir ??= inv.workdir;
        s.transcript.push({ timestamp: ts, kind: 'tool-call', call_id: callId, tool: c.tool, text: inv.command ?? inv.patch ?? stringify(args) });
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const callId = str(p.call_id);
        if (!callId) return;
        const c = call(callId, ts);
        const out = interpretToolOutput(p.output);
        // Unified exec: a command still running after its yield gets a session id; its exit comes
        // in the output of a later write_stdin to that session and belongs to the command.
        const raw = typeof p.output === 'string' ? p.output : '';
        const running = /^Process running with session ID (\d+)/m.exec(raw);
        if (running && c.command) execSessions.set(running[1]!, c);
        const owner = c.tool === 'write_stdin' ? execSessions.get(String(stdinSession.get(callId) ?? '')) : undefined;
        // (When exec_command_end already gave the outcome, it holds the whole output too.)
        if (owner && owner.exitCode === null) {
          owner.output = `${owner.output ?? ''}${out.text}`;
          owner.exitCode = out.exitCode;
        }
        c.output ??= out.text;
        c.exitCode ??= out.exitCode;
        c.duration ??= out.duration;
        s.transcript.push({ timestamp: ts, kind: 'tool-output', call_id: callId, text: out.text, exit_code: out.exitCode });
        return;
      }
      case 'reasoning': {
        const summary = Array.isArray(p.summary) ? p.summary.map((x) => str((x as Record<string, unknown>)?.text) ?? '').join('\n') : '';
        if (summary.trim()) s.transcript.push({ timestamp: ts, kind: 'reasoning', text: summary });
        return;
      }
      default:
        return; // ghost_snapshot, web_search_call, future item types
    }
  };

  const event = (p: Record<string, unknown>, ts: string | null) => {
    switch (p.type) {
      case 'user_message': {
        const text = str(p.message) ?? '';
        // Some versions also emit injected context as user_message, marked with `kind` (plain | user_instructions | environment_context).
        if ((typeof p.kind === 'string' && p.kind !== 'plain') || isInjectedContext(text)) return;
        turnReplies = new Set();
        if (!text.trim()) return;
        eventUsers.push({ timestamp: ts, text });
        const item: TranscriptItem = { timestamp: ts, kind: 'user', text };
        eventUserSteps.add(item);
        s.transcript.push(item);
        return;
      }
      case 'agent_message':
        reply(ts, str(p.message) ?? '');
        return;
      case 'exec_command_end': {
        const callId = str(p.call_id);
        if (!callId) return;
        const c = call(callId, ts);
        if (!c.tool) c.tool = 'exec';
        // An apply_patch (as a tool or a heredoc) also ends with exec_command_end: it stays a patch, never a command.
        if (!c.command && !c.patch && Array.isArray(p.command)) {
          const inv = interpretToolCall('shell', { command: p.command });
          c.command = inv.command;
          c.patch ??= inv.patch;
        }
        if (typeof p.exit_code === 'number') c.exitCode = p.exit_code; // the best record of the outcome
        c.duration = durationSeconds(p.duration) ?? c.duration;
        c.workdir ??= str(p.cwd);
        c.output ??= str(p.aggregated_output) ?? str(p.formatted_output) ?? str(p.stderr) ?? null;
        c.stderr ??= str(p.stderr) || null;
        return;
      }
      case 'patch_apply_begin':
      case 'patch_apply_end': {
        const callId = str(p.call_id);
        if (!callId) return;
        const c = call(callId, ts);
        if (!c.tool) c.tool = 'apply_patch';
        const changes = p.changes && typeof p.changes === 'object' ? (p.changes as Record<string, Record<string, unknown>>) : {};
        const note = (file: string, kind: string) => {
          if (!c.patchChanges.some((x) => x.path === file)) c.patchChanges.push({ path: file, kind });
        };
        for (const [file, change] of Object.entries(changes)) {
          note(file, str(change?.type) ?? (change && typeof change === 'object' ? (Object.keys(change)[0] ?? 'update') : 'update'));
          const moved = str(change?.move_path);
          if (moved) note(moved, 'add');
        }
        if (p.type === 'patch_apply_end' && typeof p.success === 'boolean') {
          c.patchSuccess = p.success;
          if (!p.success) c.patchError = firstLine(str(p.stderr) ?? str(p.stdout) ?? '') || 'patch rejected';
        }
        return;
      }
      case 'error': {
        const text = `error: ${str(p.message) ?? 'unknown error'}`;
        s.eventErrors.push({ timestamp: ts, text });
        s.transcript.push({ timestamp: ts, kind: 'error', text });
        return;
      }
      case 'turn_aborted': {
        const text = `turn aborted${str(p.reason) ? `: ${str(p.reason)}` : ''}`;
        s.eventErrors.push({ timestamp: ts, text });
        s.transcript.push({ timestamp: ts, kind: 'error', text });
        return;
      }
      default:
        return;
    }
  };

  for (const [index, { n, value }] of lines.entries()) {
    if (legacy) {
      if (index === 0) {
        sawKnownLine = true;
        meta(value, null);
        continue;
      }
      if (value.record_type !== undefined) continue; // {"record_type":"state"}
      if (typeof value.type === 'string') {
        sawKnownLine = true;
        responseItem(value, utc(str(value.timestamp)), n);
      }
      continue;
    }
    const ts = utc(str(value.timestamp));
    const payload = value.payload;
    if (typeof value.type !== 'string' || !payload || typeof payload !== 'object') {
      problems.push({ line: n, column: 1, message: 'line skipped: not a rollout line ({timestamp, type, payload})', fatal: false });
      continue;
    }
    // A fork copies its parent's history in first; lines older than the fork itself belong to the parent session.
    if (s.forkedFrom && ts && s.start && ts < s.start && value.type !== 'session_meta') continue;
    if (ts && (!s.end || ts > s.end)) s.end = ts;
    const p = payload as Record<string, unknown>;
    switch (value.type) {
      case 'session_meta':
        sawKnownLine = true;
        meta(p, ts);
        break;
      case 'turn_context':
        sawKnownLine = true;
        if (typeof p.model === 'string') s.model = p.model;
        break;
      case 'response_item':
        sawKnownLine = true;
        responseItem(p, ts, n);
        break;
      case 'event_msg':
        sawKnownLine = true;
        event(p, ts);
        break;
      default:
        break; // compacted and types from newer versions carry nothing we keep
    }
  }

  if (!sawKnownLine)
    return { ok: false, problems: [{ line: 1, column: 1, message: 'not a Codex rollout: no session_meta, response_item or event_msg lines', fatal: true }] };
  if (!sawMeta || !s.id) {
    return {
      ok: false,
      problems: [...problems, { line: 1, column: 1, message: 'no session_meta line with an id: cannot tell which session this is', fatal: true }],
    };
  }
  // event_msg user_message is what the user typed; older files only have the response items.
  s.userMessages = eventUsers.length ? eventUsers : itemUsers;
  const dropped = eventUsers.length ? itemUserSteps : eventUserSteps;
  s.transcript = s.transcript.filter((step) => !dropped.has(step));
  if (legacy) s.end = s.start;
  s.calls = [...calls.values()];
  return { ok: true, session: s, problems };
}
