/**
 * Paths named in entries (input files, output globs, artifact names) must stay
 * where they belong: inputs inside the workspace, outputs inside the entry's
 * folder. `..`, absolute paths and symlinks pointing out are refused.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';

/** True when `child` is `parent` or inside it (both absolute, normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Checks an artifact name or output glob: relative, forward slashes, no `..` segment. */
export function assertRelativeInside(name: string, what: string): void {
  if (!name || path.isAbsolute(name) || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith('\\')) {
    throw new LabError(`${what} \`${name}\` must be a relative path inside the entry folder`);
  }
  if (name.split(/[\\/]/).includes('..')) throw new LabError(`${what} \`${name}\` must not leave the entry folder (no \`..\`)`);
}

/** The real (symlink-resolved) path of `file`, refused unless it lies inside `folder`'s real path. */
export function realPathInside(folder: string, file: string, what: string): string {
  const real = realpathSync(file);
  const realFolder = realpathSync(folder);
  if (!isInside(realFolder, real)) {
    throw new LabError(`${what} \`${path.relative(folder, file)}\` resolves outside ${path.basename(folder)}/ (through a symlink); refused`);
  }
  return real;
}

/**
 * Whether `file` stays inside `root` once symlinks are resolved: lexically
 * inside, and (when it exists) its real path inside the root's real path. A
 * symlink loop or a link that leaves the workspace is outside.
 */
export function resolvesInside(root: string, file: string): boolean {
  if (!isInside(root, file)) return false;
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    // A missing file is reported as missing; a loop (ELOOP) or an unreadable link is not inside.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && !isDanglingLink(file);
  }
  return isInside(realpathSync(root), real);
}

/** A symlink whose target does not exist: it could be created later anywhere, so it is not trusted. */
function isDanglingLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
