/**
 * Where a journal workspace starts: the nearest folder at or above a path with `lab.config.yaml`
 * or `content/notebooks/`, found the way git finds its repository. Its own small module, so that
 * commands that only need the root (and the launcher's version check) load nothing else.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabError } from './diagnostics.ts';

const CONFIG_FILE = 'lab.config.yaml';

/** Walks up from `start` to the workspace root, like git; a usage error (exit 2) outside a journal. */
export function findWorkspaceRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_FILE)) || existsSync(path.join(dir, 'content', 'notebooks'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) {
      throw new LabError(
        `not inside a lab journal (no ${CONFIG_FILE} or content/notebooks/ in ${path.resolve(start)} or above); run 'lab init' to create one`,
        { exitCode: 2 },
      );
    }
    dir = up;
  }
}
