/**
 * How Codex tool calls look across CLI versions: shell commands as argv or
 * strings, apply_patch as a tool of its own or inside a shell command, and
 * outputs as JSON envelopes or plain text with the exit code in a header.
 */

/** Patch header paths of an apply_patch envelope, in order (`Move to` targets included). */
export function patchFiles(patch: string): { path: string; op: 'add' | 'update' | 'delete' | 'move' }[] {
  const out: { path: string; op: 'add' | 'update' | 'delete' | 'move' }[] = [];
  const re = /^\*\*\* (Add File|Update File|Delete File|Move to): (.+?)\s*$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(patch))) {
    const op = m[1] === 'Add File' ? 'add' : m[1] === 'Update File' ? 'update' : m[1] === 'Delete File' ? 'delete' : 'move';
    out.push({ path: m[2]!, op });
  }
  return out;
}

/** Per-file operation and changed line counts of an apply_patch envelope. */
export function patchStats(patch: string): { path: string; op: 'add' | 'update' | 'delete'; added: number; removed: number; movedTo: string | null }[] {
  const out: { path: string; op: 'add' | 'update' | 'delete'; added: number; removed: number; movedTo: string | null }[] = [];
  let cur: (typeof out)[number] | null = null;
  for (const line of patch.split('\n')) {
    const h = /^\*\*\* (Add File|Update File|Delete File|Move to): (.+?)\s*$/.exec(line);
    if (h) {
      if (h[1] === 'Move to') {
        if (cur) cur.movedTo = h[2]!;
        continue;
      }
      cur = { path: h[2]!, op: h[1] === 'Add File' ? 'add' : h[1] === 'Update File' ? 'update' : 'delete', added: 0, removed: 0, movedTo: null };
      out.push(cur);
      continue;
    }
    if (!cur || line.startsWith('***') || line.startsWith('@@')) continue;
    if (line.startsWith('+')) cur.added++;
    else if (line.startsWith('-')) cur.removed++;
  }
  return out;
}

/** True when a shell command string carries an apply_patch envelope (heredoc form of older versions). */
export function isPatchCommand(command: string): boolean {
  return /(^|[\s;&|(])apply_patch\b/.test(command) && command.includes('*** Begin Patch');
}

/** `["bash","-lc","ls"]` → `ls`; other argv arrays are joined with shell quoting. */
export function commandFromArgv(argv: unknown[]): string {
  const args = argv.map(String);
  const isShell = /(^|[/\\])(bash|zsh|sh|dash|fish|pwsh|powershell)(\.exe)?$/.test(args[0] ?? '');
  if (args.length === 3 && isShell && (/^-\w*c\w*$/.test(args[1]!) || args[1] === '-Command')) {
    return args[2]!;
  }
  return args.map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** What a tool call's arguments say it runs. */
export interface ToolInvocation {
  /** The shell command, when the tool runs one. */
  command: string | null;
  /** The apply_patch text, when the tool applies one. */
  patch: string | null;
  /** Working directory given with the call. */
  workdir: string | null;
}

/** Interprets `function_call` / `custom_tool_call` / `local_shell_call` arguments by tool name. */
export function interpretToolCall(name: string, args: unknown): ToolInvocation {
  const none: ToolInvocation = { command: null, patch: null, workdir: null };
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const workdir = typeof a.workdir === 'string' ? a.workdir : typeof a.working_directory === 'string' ? a.working_directory : null;
  if (name === 'apply_patch') {
    const patch = typeof args === 'string' ? args : typeof a.input === 'string' ? a.input : typeof a.patch === 'string' ? a.patch : null;
    return { ...none, patch, workdir };
  }
  if (name === 'shell' || name === 'container.exec' || name === 'local_shell' || name === 'shell_command' || name === 'exec_command') {
    const raw = a.command ?? a.cmd;
    let command: string | null = null;
    if (Array.isArray(raw)) {
      if (raw[0] === 'apply_patch' && typeof raw[1] === 'string') return { ...none, patch: raw[1], workdir };
      command = commandFromArgv(raw);
    } else if (typeof raw === 'string') command = raw;
    if (command && isPatchCommand(command)) return { command: null, patch: command, workdir };
    return { command, patch: null, workdir };
  }
  return none;
}

/** The text and exit code carried by a tool output in any of the known shapes. */
export function interpretToolOutput(output: unknown): { text: string; exitCode: number | null; duration: number | null } {
  let text = '';
  if (typeof output === 'string') text = output;
  else if (Array.isArray(output)) {
    text = output.map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join('');
  } else if (output && typeof output === 'object') {
    const o = output as Record<string, unknown>;
    text = typeof o.content === 'string' ? o.content : typeof o.output === 'string' ? o.output : JSON.stringify(o);
  }
  // `shell` (and custom tools): a JSON envelope {"output", "metadata": {"exit_code", "duration_seconds"}}.
  if (text.startsWith('{')) {
    try {
      const env = JSON.parse(text) as { output?: unknown; metadata?: { exit_code?: unknown; duration_seconds?: unknown } };
      if (env && typeof env === 'object' && 'output' in env) {
        return {
          text: typeof env.output === 'string' ? env.output : JSON.stringify(env.output),
          exitCode: typeof env.metadata?.exit_code === 'number' ? env.metadata.exit_code : null,
          duration: typeof env.metadata?.duration_seconds === 'number' ? env.metadata.duration_seconds : null,
        };
      }
    } catch {
      // plain text that happens to start with a brace
    }
  }
  // `shell_command`: "Exit code: N\nWall time: …\nOutput:\n…"
  const head = /^Exit code: (-?\d+)/.exec(text);
  if (head) return { text: stripExecHeaders(text), exitCode: Number(head[1]), duration: wallTime(text) };
  // unified `exec_command`: "Chunk ID: …\nWall time: …\nProcess exited with code N\nOriginal token count: …\nOutput:\n…"
  const exec = /^Process exited with code (-?\d+)/m.exec(text);
  if (exec && exec.index < 300) return { text: stripExecHeaders(text), exitCode: Number(exec[1]), duration: wallTime(text) };
  // Still running (the exit comes in a later write_stdin): the wall time so far is not its duration.
  if (/^(Chunk ID|Process running with session ID)/.test(text)) return { text: stripExecHeaders(text), exitCode: null, duration: null };
  // 2025 legacy sandbox failures: "failed in sandbox LinuxSeccomp with execution error: sandbox denied exec error, exit code: 1, stdout: …, stderr: …"
  const sandbox = /^(failed in sandbox|execution error|sandbox denied)/i.test(text) ? /exit code:? (-?\d+)/i.exec(text) : null;
  if (sandbox) return { text: sandboxOutput(text), exitCode: Number(sandbox[1]), duration: null };
  return { text, exitCode: null, duration: null };
}

/** Header lines unified exec and shell_command put before a command's output. */
const EXEC_HEADER = /^(Chunk ID|Wall time|Process exited with code|Process running with session ID|Original token count|Total output lines|Exit code)\b.*$/;

/** The command's own output: header lines and the `Output:` marker removed, in whatever order they came. */
function stripExecHeaders(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && EXEC_HEADER.test(lines[i]!)) i++;
  if (lines[i] === 'Output:') i++;
  return lines.slice(i).join('\n');
}

/** `…, stdout: A, stderr: B` → B (else A), the part of a sandbox failure that says what went wrong. */
function sandboxOutput(text: string): string {
  const stderr = /,? stderr: ([\s\S]*)$/.exec(text)?.[1]?.trim();
  if (stderr) return stderr;
  const stdout = /,? stdout: ([\s\S]*?)(,? stderr:|$)/.exec(text)?.[1]?.trim();
  return stdout || text;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const ERROR_LINE =
  /\b(error|errors|failed|failure|fail|exception|traceback|panic|fatal|cannot|can't|unable|not found|no such|denied|refused|undefined|TS\d{4})\b|✗|×/i;

/**
 * The line of a failed command's output that says what went wrong: the first
 * line that reads like an error (`error TS2322`, `FAIL …`, `Traceback`), else
 * the last non-empty line — never an exec header.
 */
export function errorExcerpt(text: string, max = 200): string {
  const lines = stripExecHeaders(text.replace(ANSI, ''))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !EXEC_HEADER.test(l));
  const line = lines.find((l) => ERROR_LINE.test(l) && !/^\s*(>|\$)/.test(l)) ?? lines.at(-1) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function wallTime(text: string): number | null {
  const m = /Wall time: ([\d.]+) ?s/.exec(text);
  return m ? Number(m[1]) : null;
}

/** exec_command_end `duration` is `{secs, nanos}` (Rust Duration), a number or a string like "1.5s". */
export function durationSeconds(d: unknown): number | null {
  if (typeof d === 'number') return d;
  if (typeof d === 'string') {
    const m = /^([\d.]+)\s*(ms|s)?$/.exec(d.trim());
    if (m) return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
    return null;
  }
  if (d && typeof d === 'object') {
    const { secs, nanos } = d as { secs?: unknown; nanos?: unknown };
    if (typeof secs === 'number') return secs + (typeof nanos === 'number' ? nanos / 1e9 : 0);
  }
  return null;
}

/** First non-empty line, shortened: the gist of an error output. */
export function firstLine(text: string, max = 200): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
