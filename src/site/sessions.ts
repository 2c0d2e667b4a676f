/**
 * The Codex session pages' data (`/lab/`, `/lab/<id>/`): the compiler's session
 * summaries plus what the pages show — the Org stub as sanitized HTML, prompts
 * and replies, and each touched file linked to the journal entries and pages
 * that use it and to the file on the repository host. Pure apart from reading
 * `lab/`: the journal (entries, pages, link builders) is passed in, so this
 * module never imports `astro:content` and can be tested on its own.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import uniorgParse from 'uniorg-parse';
import uniorgRehype from 'uniorg-rehype';
import { compileSessions, parseRawSessionText, type SessionSummary } from '../lab/compile-sessions.ts';
import type { CommandRun, RawSession } from '../lab/schema.ts';
import { renderText } from './markdown.ts';

/** What the session pages need to know about the journal. */
export interface JournalLinks {
  entries: { id: string; title: string; input_files: string[]; inputs: Record<string, unknown>; source: { path: string } }[];
  pages: { id: string; title: string; source: { path: string } }[];
  /** `repository` from lab.config.yaml (web URL), if any. */
  repository: string | null;
  href: { entry(id: string): string; page(id: string): string };
}

export interface FileLink {
  kind: 'entry' | 'page';
  id: string;
  title: string;
  href: string;
  /** How the journal item relates to the file. */
  relation: 'input' | 'command' | 'source' | 'folder';
}

interface SessionFile {
  path: string;
  /** What happened to it (`updated (+3 −1)`), from `lab/file-notes`. */
  note: string | null;
  links: FileLink[];
  /** The file on the repository host, when the repository URL is known and the path is repo-relative. */
  hostUrl: string | null;
}

export interface SessionMessage {
  id: string;
  role: 'user' | 'assistant';
  timestamp: string | null;
  /** Prompts are shown as typed (plain text); replies are Markdown rendered to sanitized HTML. */
  text: string;
  html: string | null;
}

export interface SessionView {
  summary: SessionSummary;
  title: string;
  model: string | null;
  branch: string | null;
  commit: string | null;
  /** The repository's web URL used for file links (session git remote, else lab.config.yaml). */
  repositoryUrl: string | null;
  stubHtml: string | null;
  messages: SessionMessage[];
  files: SessionFile[];
  /** null when commands were not captured. */
  commands: CommandRun[] | null;
  errors: string[] | null;
}

// `useSubSuperscripts: '{}'`: `fit_drift.py` stays a file name, as `#+OPTIONS: ^:{}` in the stub says.
const orgProcessor = unified().use(uniorgParse, { useSubSuperscripts: '{}' }).use(uniorgRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

/** Renders an Org stub to sanitized HTML, headings shifted one level down (the page has its own h1). */
export function renderStubHtml(org: string): string {
  const html = String(orgProcessor.processSync(org));
  return html.replace(/<(\/?)h([1-5])\b/g, (_m, slash: string, level: string) => `<${slash}h${Number(level) + 1}`);
}

/** `git@github.com:o/r.git`, `ssh://git@host/o/r`, `https://host/o/r.git` → `https://host/o/r`; null for anything else. */
export function repositoryWebUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const u = url.trim();
  let m = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(u);
  if (m) return `https://${m[1]}/${m[2]}`;
  m = /^ssh:\/\/(?:[\w.-]+@)?([\w.-]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(u);
  if (m) return `https://${m[1]}/${m[2]}`;
  m = /^(https?):\/\/(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(u);
  if (m) return `${m[1]}://${m[2]}/${m[3]}`;
  return null;
}

/** The web URL of a repo-relative file at a commit (GitHub/Gitea style `blob/`, GitLab `-/blob/`). */
export function fileHostUrl(repositoryUrl: string | null, ref: string | null, file: string): string | null {
  if (!repositoryUrl || path.posix.isAbsolute(file) || file.startsWith('..')) return null;
  const blob = /gitlab/i.test(repositoryUrl) ? '-/blob' : 'blob';
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return `${repositoryUrl.replace(/\/+$/, '')}/${blob}/${encodeURIComponent(ref ?? 'HEAD')}/${encoded}`;
}

/** Journal items that reference `file`: entries using it as input or defined by it, pages defined by it or holding it. */
export function linksForFile(file: string, journal: JournalLinks): FileLink[] {
  const out: FileLink[] = [];
  const dir = path.posix.dirname(file);
  const mention = new RegExp(`(^|[\\s"'=])\\./${escapeRegExp(path.posix.basename(file))}($|[\\s"'])`);
  for (const e of journal.entries) {
    const link = (relation: FileLink['relation']) => out.push({ kind: 'entry', id: e.id, title: e.title, href: journal.href.entry(e.id), relation });
    if (e.input_files.includes(file)) link('input');
    else if (e.source.path === file) link('source');
    // `command: python3 ./fit_drift.py` runs a file of the entry's folder without naming it as an input.
    else if (path.posix.dirname(e.source.path) === dir && inputStrings(e.inputs).some((v) => mention.test(v))) link('command');
  }
  for (const p of journal.pages) {
    const folder = path.posix.dirname(p.source.path);
    if (p.source.path === file) out.push({ kind: 'page', id: p.id, title: p.title, href: journal.href.page(p.id), relation: 'source' });
    else if (file.startsWith(`${folder}/`)) out.push({ kind: 'page', id: p.id, title: p.title, href: journal.href.page(p.id), relation: 'folder' });
  }
  return out;
}

function inputStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(inputStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(inputStrings);
  return [];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Prompts and replies in session order (by timestamp; legacy records without timestamps alternate). */
export function mergeMessages(record: RawSession): SessionMessage[] {
  const users = record['lab/user-messages'].map((m) => ({ ...m, role: 'user' as const }));
  const replies = record['lab/assistant-messages'].map((m) => ({ ...m, role: 'assistant' as const }));
  let merged: ((typeof users)[number] | (typeof replies)[number])[];
  if ([...users, ...replies].every((m) => m.timestamp)) {
    merged = [...users, ...replies].sort((a, b) => (a.timestamp! < b.timestamp! ? -1 : a.timestamp! > b.timestamp! ? 1 : a.role === 'user' ? -1 : 1));
  } else {
    merged = [];
    for (let i = 0; i < Math.max(users.length, replies.length); i++) {
      if (users[i]) merged.push(users[i]!);
      if (replies[i]) merged.push(replies[i]!);
    }
  }
  return merged.map((m) => ({ id: m.id, role: m.role, timestamp: m.timestamp, text: m.text, html: m.role === 'assistant' ? renderText(m.text, 'md') : null }));
}

/** Every session of the workspace at `root`, newest first, ready for the pages. */
export async function loadSessionViews(root: string, journal: JournalLinks): Promise<SessionView[]> {
  const { sessions } = await compileSessions(root);
  const views: SessionView[] = [];
  for (const summary of sessions) {
    const parsed = parseRawSessionText(summary.source.path, await fs.readFile(path.join(root, summary.source.path), 'utf8'));
    const record = parsed.record;
    if (!record) continue;
    const git = record['lab/git'];
    const repositoryUrl = repositoryWebUrl(git?.['repository-url']) ?? repositoryWebUrl(journal.repository);
    const ref = git?.commit ?? git?.branch ?? null;
    const notes = new Map((record['lab/file-notes'] ?? []).map((n) => [n.file, n.summary]));
    const stubText = summary.stub_path ? await fs.readFile(path.join(root, summary.stub_path), 'utf8').catch(() => null) : null;
    const firstLine =
      summary.first_prompt
        ?.split('\n')
        .find((l) => l.trim())
        ?.trim() ?? null;
    views.push({
      summary,
      title: firstLine ? (firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine) : `Session ${summary.id}`,
      model: record['lab/model'] ?? null,
      branch: git?.branch ?? null,
      commit: git?.commit ?? null,
      repositoryUrl,
      stubHtml: stubText ? renderStubHtml(stubText) : null,
      messages: mergeMessages(record),
      files: record['lab/files-touched'].map((file) => ({
        path: file,
        note: notes.get(file) ?? null,
        links: linksForFile(file, journal),
        hostUrl: fileHostUrl(repositoryUrl, ref, file),
      })),
      commands:
        record['lab/command-runs'] ??
        (record['lab/commands'] ? record['lab/commands'].map((command) => ({ command, 'exit-code': null, 'duration-seconds': null })) : null),
      errors: record['lab/errors'] ?? null,
    });
  }
  return views;
}

/**
 * The sessions that touched a file used by a journal entry or page: for an "edited in
 * these Codex sessions" list on entry and page views (`href` builds the session URL).
 */
export function sessionsForItem(views: SessionView[], kind: 'entry' | 'page', id: string): SessionView[] {
  return sessionsForItems(views, [{ kind, id }]);
}

/** The sessions that touched a file of any of these items (a page and its entries, say). */
export function sessionsForItems(views: SessionView[], items: { kind: 'entry' | 'page'; id: string }[]): SessionView[] {
  const wanted = new Set(items.map((i) => `${i.kind}:${i.id}`));
  return views.filter((v) => v.files.some((f) => f.links.some((l) => wanted.has(`${l.kind}:${l.id}`))));
}
