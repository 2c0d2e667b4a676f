/**
 * The rendered notes of entries, kept out of Astro's data store: they are half of its bytes,
 * and the store is serialized on every build, bundled into the build's server code and held in
 * memory as a whole while pages render. Each note's HTML is a file under `.lab/site/notes/`,
 * named by the hash of its bytes (a record that points to it changes when the notes do), written
 * by the loader and read by the one page that shows it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The folder of the notes of the workspace at `root`. */
function notesDir(root: string): string {
  return path.join(root, '.lab', 'site', 'notes');
}

/** Stores `html` (atomically, once per distinct text); returns its reference, or null for no notes. */
export function putNotesHtml(root: string, html: string): string | null {
  if (!html) return null;
  const ref = createHash('sha256').update(html).digest('hex').slice(0, 32);
  const file = path.join(notesDir(root), `${ref}.html`);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, html);
    renameSync(tmp, file);
  }
  return ref;
}

/** The HTML stored under `ref`; empty when there is none (no notes, or the file went missing). */
export function readNotesHtml(root: string, ref: string | null): string {
  if (!ref) return '';
  try {
    return readFileSync(path.join(notesDir(root), `${ref}.html`), 'utf8');
  } catch {
    return '';
  }
}

/**
 * Whether the notes stored under a reference are on disk (true when there are no notes), from one
 * listing of the folder: a load asks for every kept entry (100,000 probes cost a second).
 */
export function storedNotes(root: string): (ref: string | null) => boolean {
  let names: Set<string>;
  try {
    names = new Set(readdirSync(notesDir(root)));
  } catch {
    names = new Set();
  }
  return (ref) => !ref || names.has(`${ref}.html`);
}

/** Deletes the stored notes no record refers to any more. */
export function pruneNotesHtml(root: string, used: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(notesDir(root));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.endsWith('.html') && !used.has(name.slice(0, -'.html'.length))) rmSync(path.join(notesDir(root), name), { force: true });
  }
}
