/**
 * A journal pins its own copy of the tool (package.json devDependency). When the `lab` that runs
 * is another version — a global install, or another journal's — results could differ from what
 * `npm run …` gives, so say so once, on stderr.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR } from '../package-files.ts';
import { VERSION } from '../version.ts';

/** A warning when the journal at `root` has a different version of the tool installed; else null. */
export function toolVersionWarning(root: string): string | null {
  const installed = path.join(root, 'node_modules', 'codex-lab-journal');
  let version: string;
  try {
    version = (JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version;
    if (realpathSync(installed) === realpathSync(PACKAGE_DIR)) return null;
  } catch {
    return null;
  }
  if (version === VERSION) return null;
  return `lab: warning: this journal uses codex-lab-journal ${version} (its node_modules), but this lab is ${VERSION}; run 'npx lab …' or 'npm run …' to use the journal's own version`;
}
