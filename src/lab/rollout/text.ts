/** Small readers for rollout values: message text, optional strings, UTC timestamps, injected context. */

const INJECTED =
  /^\s*(?:# AGENTS\.md instructions|<(environment_context|user_instructions|INSTRUCTIONS|user_shell_command|turn_aborted|subagent_notification|permissions instructions)\b)/;

/** Whether a `response_item` user message is context Codex injected rather than something the user typed. */
export function isInjectedContext(text: string): boolean {
  return INJECTED.test(text) || /^\s*<([a-z_]+)>[\s\S]*<\/\1>\s*$/.test(text);
}

/** The text of a message's `content` parts (`input_text` / `output_text`), joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : ''))
    .filter(Boolean)
    .join('\n');
}

/** A non-empty string, or null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Tool arguments as text: strings as they are, anything else as JSON. */
export function stringify(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Normalises a timestamp to UTC ISO (`…Z`); leaves unparseable text out. */
export function utc(t: string | null): string | null {
  if (!t) return null;
  if (CANONICAL_UTC.test(t)) return t; // what Codex writes; Date parsing every line is the importer's hot spot
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
