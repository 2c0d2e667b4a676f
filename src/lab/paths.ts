/** Where the session stream lives in a workspace, and how repo roots are found. */
import { existsSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';

export const LAB_DIRS = {
  raw: 'lab/raw',
  stubs: 'lab/stubs',
  docDrafts: 'lab/doc-drafts',
  transcripts: 'lab/transcripts',
  index: 'lab/index.org',
} as const;

/**
 * A session id is a file name, never a path: Codex writes UUIDs; letters,
 * digits, `.`, `_` and `-` are accepted (no `/`, `\\`, `..`, no leading dot).
 */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether `id` can name files under `lab/` (see SESSION_ID). */
export function isSafeSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID.test(id) && !id.includes('..');
}

/** Why an id is refused, for messages. */
export function unsafeSessionIdMessage(id: unknown): string {
  return `session id ${JSON.stringify(id)} is not a plain name (letters, digits, . _ -); it could name a path outside lab/, so the session is refused`;
}

function sessionFile(dir: string, id: string, ext: string): string {
  if (!isSafeSessionId(id)) throw new LabError(unsafeSessionIdMessage(id));
  return `${dir}/${id}${ext}`;
}

export const rawPath = (id: string) => sessionFile(LAB_DIRS.raw, id, '.json');
export const stubPath = (id: string) => sessionFile(LAB_DIRS.stubs, id, '.org');
export const docDraftPath = (id: string) => sessionFile(LAB_DIRS.docDrafts, id, '.json');
export const transcriptPath = (id: string) => sessionFile(LAB_DIRS.transcripts, id, '.json');

/** The absolute path of a workspace-relative `lab/…` path, refused unless it stays under `<root>/lab/`. */
export function labFile(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (!isInside(abs, path.resolve(root, 'lab'))) throw new LabError(`refusing to write ${abs}: it is outside ${path.join(root, 'lab')}`);
  return abs;
}

/**
 * The workspace root for `lab/`: the nearest folder up from `start` with
 * `lab.config.yaml`, `content/notebooks` or `lab/raw`, else the git top level,
 * else `start` itself.
 */
export function findLabRoot(start: string): string {
  const marked = walkUp(
    start,
    (d) => existsSync(path.join(d, 'lab.config.yaml')) || existsSync(path.join(d, 'content', 'notebooks')) || existsSync(path.join(d, 'lab', 'raw')),
  );
  return marked ?? findGitRoot(start) ?? path.resolve(start);
}

/** The nearest folder up from `start` that holds `.git`, or null (also when `start` does not exist here). */
export function findGitRoot(start: string): string | null {
  if (!existsSync(start)) return null;
  return walkUp(start, (d) => existsSync(path.join(d, '.git')));
}

function walkUp(start: string, test: (dir: string) => boolean): string | null {
  let dir = path.resolve(start);
  while (true) {
    if (test(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** `realpath` when the path exists, so symlinked homes compare equal; the resolved path otherwise. */
export function canonicalPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Whether `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `$CODEX_HOME`, defaulting to `~/.codex`. */
export function defaultCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || path.join(os.homedir(), '.codex');
}
