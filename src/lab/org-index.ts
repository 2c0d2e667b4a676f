/**
 * `lab/index.org`: one link per stub, newest first, with the date and the
 * first prompt. Regenerated from the raw records and the stubs on disk.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeIfChanged } from '../core/fs/atomic.ts';
import { compileSessions } from './compile-sessions.ts';
import { LAB_DIRS } from './paths.ts';
import { titleOf } from './summarize/deterministic.ts';

interface IndexEntry {
  id: string;
  start: string | null;
  title: string;
  files: number;
}

/** Renders the index text. */
function renderIndex(entries: IndexEntry[]): string {
  const sorted = [...entries].sort((a, b) => ((b.start ?? '') < (a.start ?? '') ? -1 : (b.start ?? '') > (a.start ?? '') ? 1 : a.id < b.id ? -1 : 1));
  const lines = ['#+TITLE: Codex sessions', '', 'Newest first. Each link opens the session stub (Context / Delta / Verification).', ''];
  if (!sorted.length) lines.push('No summarized sessions yet: run =lab sessions import= then =lab sessions summarize --all=.');
  for (const e of sorted) {
    const when = e.start ? `${e.start.slice(0, 10)} ${e.start.slice(11, 16)} UTC` : 'undated';
    const label = e.title.replace(/[[\]]/g, ' ').replace(/\s+/g, ' ').trim();
    lines.push(`- ${when} [[file:stubs/${e.id}.org][${label}]] (${e.files} file${e.files === 1 ? '' : 's'} touched)`);
  }
  return `${lines.join('\n')}\n`;
}

/** Rewrites `lab/index.org` from what is on disk; returns whether it changed and how many links it has. */
export async function writeSessionIndex(root: string): Promise<{ path: string; changed: boolean; count: number }> {
  const { sessions } = await compileSessions(root);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const stubNames = (await fs.readdir(path.join(root, LAB_DIRS.stubs)).catch(() => [] as string[])).filter((n) => n.endsWith('.org'));
  const entries: IndexEntry[] = [];
  for (const name of stubNames) {
    const id = name.slice(0, -'.org'.length);
    const s = byId.get(id);
    if (s) {
      entries.push({ id, start: s.start, title: titleOf(s.first_prompt, id), files: s.files_touched.length });
      continue;
    }
    // A stub without its raw record still gets a link, from its own drawer and title.
    const text = await fs.readFile(path.join(root, LAB_DIRS.stubs, name), 'utf8');
    const start = /^:SESSION_START: (.+)$/m.exec(text)?.[1] ?? null;
    const title = /^#\+TITLE: (.+)$/m.exec(text)?.[1] ?? `Session ${id}`;
    const files = Number(/^:FILES_TOUCHED: (\d+)$/m.exec(text)?.[1] ?? 0);
    entries.push({ id, start, title, files });
  }
  const changed = await writeIfChanged(path.join(root, LAB_DIRS.index), renderIndex(entries));
  return { path: LAB_DIRS.index, changed, count: entries.length };
}
