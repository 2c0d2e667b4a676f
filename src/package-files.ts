/**
 * Where the tool's own files are: `package.json`, and the files shipped beside the code (the
 * SQLite child process, the Jupyter helper). `lab run` is bundled into one file for start-up
 * (scripts/build-lib.mjs), and inside a bundle every module's `import.meta.url` is the bundle's,
 * so these files are found from the package root rather than from the module asking for them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** `src` when running the TypeScript sources, `lib` when running the compiled package. */
const CODE_DIR = import.meta.url.endsWith('.ts') ? 'src' : 'lib';

/** The file extension of the running code: `.ts` from `src/`, `.js` from `lib/`. */
export const CODE_EXTENSION: '.ts' | '.js' = CODE_DIR === 'src' ? '.ts' : '.js';

/** The package's root: the nearest folder above this module holding `package.json` and the code folder. */
export const PACKAGE_DIR: string = (() => {
  let dir = import.meta.dirname;
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, CODE_DIR)))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`codex-lab-journal: no package.json above ${import.meta.dirname}`);
    dir = up;
  }
  return dir;
})();

/** The absolute path of a file of the running code, given relative to `src/` (or `lib/`), e.g. `runners/integrations/jupyter-run.py`. */
export function ownFile(relative: string): string {
  return path.join(PACKAGE_DIR, CODE_DIR, relative);
}
