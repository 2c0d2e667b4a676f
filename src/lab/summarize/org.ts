/**
 * Renders a session digest as an Org stub: a properties drawer, a title and
 * the three sections Context / Delta / Verification. User text is quoted so
 * it can never turn into Org structure (headlines, keywords, drawers).
 */
import { sha256 } from '../../core/hash.ts';
import type { SessionDigest } from './deterministic.ts';

const HASH_PROPERTY = 'STUB_HASH';

/** The stub text; its drawer carries a hash of the generated content so hand edits can be detected. */
export function renderStub(d: SessionDigest, tracePath: string | null = null): string {
  const body = renderBody(d, tracePath);
  const props: [string, string | number | null][] = [
    ['SESSION_ID', d.id],
    ['SESSION_START', d.start],
    ['SESSION_END', d.end],
    ['REPO', d.repo],
    ['BRANCH', d.branch],
    ['COMMIT', d.commit],
    ['MODEL', d.model],
    ['FILES_TOUCHED', d.delta.length],
    ['SUMMARIZER', d.summarizer],
  ];
  const drawer = props.filter(([, v]) => v !== null && v !== '').map(([k, v]) => `:${k}: ${oneLine(String(v))}`);
  const unhashed = [':PROPERTIES:', ...drawer, ':END:', body].join('\n');
  return withHash(unhashed);
}

/** Whether a stub on disk is exactly what we generated (its content matches its own hash). */
export function isUntouchedStub(text: string): boolean {
  const m = new RegExp(`^:${HASH_PROPERTY}: (sha256:[0-9a-f]{64})\\n`, 'm').exec(text);
  if (!m) return false;
  return sha256(text.replace(m[0], '')) === m[1];
}

function withHash(unhashed: string): string {
  const hash = sha256(unhashed);
  return unhashed.replace(/\n:END:\n/, `\n:${HASH_PROPERTY}: ${hash}\n:END:\n`);
}

function renderBody(d: SessionDigest, tracePath: string | null): string {
  const out: string[] = [`#+TITLE: ${oneLine(d.title)}`];
  if (d.start) out.push(`#+DATE: ${d.start.slice(0, 10)}`);
  // File names like fit_drift.py must not turn into subscripts.
  out.push('#+OPTIONS: ^:{}');
  out.push('');

  out.push('* Context');
  if (d.context.ask) {
    out.push('The session was asked:', ...quote(d.context.ask));
  } else out.push('No prompt was recorded for this session.');
  if (d.context.followUps.length) {
    out.push('', 'Follow-up requests:');
    for (const f of d.context.followUps) out.push(...bullet(f));
  }
  if (d.context.narrative) out.push('', ...d.context.narrative.trim().split('\n').map(escapeInline));
  const where = [
    d.repo && `repository ${verbatim(d.repo)}`,
    d.branch && `branch ${verbatim(d.branch)}`,
    d.commit && `commit ${verbatim(d.commit.slice(0, 12))}`,
    d.model && `model ${verbatim(d.model)}`,
  ].filter(Boolean);
  if (where.length) out.push('', `Worked in ${where.join(', ')}.`);
  if (tracePath) out.push('', `Trace: [[file:${tracePath}][${tracePath}]]`);
  out.push('');

  out.push('* Delta');
  if (!d.delta.length) out.push('No files were changed in this session.');
  for (const f of d.delta) {
    out.push(`- ${verbatim(f.file)} — ${oneLine(f.summary)}`);
    if (f.detail) out.push(`  ${inlineCode(escapeInline(f.detail))}`);
  }
  out.push('');

  out.push('* Verification');
  const v = d.verification;
  if (v.checks === null) {
    out.push('Commands were not captured (import with =--capture commands= to record them and their outcomes).');
  } else {
    if (!v.checks.length) out.push('No tests, builds, checks or experiment runs were recorded.');
    for (const c of v.checks) out.push(`- ${code(c.command)} — ${c.outcome}`);
    if (v.otherCommands) out.push(`- ${v.otherCommands} other command${v.otherCommands === 1 ? '' : 's'} (inspection, setup)`);
    if (v.unparsedCalls) out.push(`- ${v.unparsedCalls} tool call${v.unparsedCalls === 1 ? '' : 's'} with unreadable arguments (not counted above)`);
    if (v.errors.length) {
      out.push('', 'Errors:');
      for (const e of v.errors) out.push(...bullet(e));
    } else out.push('', 'No errors were recorded.');
  }
  if (v.notes.length) {
    out.push('');
    for (const n of v.notes) out.push(...bullet(n));
  }
  if (v.testsMentioned.length) {
    out.push('', 'Tests and checks mentioned in the replies:');
    for (const t of v.testsMentioned) out.push(...bullet(t));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function quote(text: string): string[] {
  return [
    '#+begin_quote',
    ...text
      .trim()
      .split('\n')
      .map((l) => (l.trim() ? `  ${l.replace(/\s+$/, '')}` : '')),
    '#+end_quote',
  ];
}

function bullet(text: string): string[] {
  const [first, ...rest] = text.trim().split('\n');
  return [`- ${inlineCode(escapeInline(first!))}`, ...rest.filter((l) => l.trim()).map((l) => `  ${inlineCode(escapeInline(l.trim()))}`)];
}

/** Markdown-style `code` in replies and errors becomes Org ~code~. */
function inlineCode(s: string): string {
  return s.replace(/`([^`~\n]+)`/g, '~$1~');
}

function verbatim(s: string): string {
  return /[=\n]/.test(s) ? escapeInline(s) : `=${s}=`;
}

function code(s: string): string {
  const line = oneLine(s);
  return /~/.test(line) ? escapeInline(line) : `~${line}~`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Keeps a line of user text from being read as Org structure. */
function escapeInline(s: string): string {
  return s.replace(/^(\*+\s|#\+|:\w+:)/, ' $1');
}
