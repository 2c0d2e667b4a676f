/**
 * Collecting declared output files (`inputs.outputs` globs, relative to the
 * entry folder). Globs may not leave the folder, and matches that resolve
 * outside it through a symlink are refused rather than copied into the journal.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { assertRelativeInside, realPathInside } from './paths.ts';
import type { ArtifactInput } from './types.ts';

export async function collectOutputs(entryDir: string, globs: string | string[] | undefined): Promise<{ artifacts: ArtifactInput[]; unmatched: string[] }> {
  const list = globs === undefined ? [] : Array.isArray(globs) ? globs : [globs];
  if (!list.length) return { artifacts: [], unmatched: [] };
  for (const g of list) assertRelativeInside(g, 'output glob');
  const { default: fg } = await import('fast-glob');
  const artifacts = new Map<string, ArtifactInput>();
  const unmatched: string[] = [];
  for (const pattern of list) {
    // onlyFiles would silently drop symlinks; list everything and decide here, so a link out is refused loudly.
    const matches = await fg(pattern, { cwd: entryDir, onlyFiles: false, followSymbolicLinks: false, dot: false, unique: true });
    let matched = 0;
    for (const rel of matches.sort()) {
      const abs = path.join(entryDir, rel);
      const stat = await fs.stat(abs).catch(() => null); // follows symlinks
      if (!stat) throw new LabError(`output \`${rel}\` is a broken symlink`);
      if (!stat.isFile()) continue; // directories (and sockets, fifos) are not artifacts
      matched++;
      let real: string;
      try {
        real = realPathInside(entryDir, abs, 'output');
      } catch (e) {
        if (e instanceof LabError) throw e;
        throw new LabError(`output \`${rel}\` cannot be read: ${(e as Error).message}`);
      }
      artifacts.set(rel, { name: rel, path: real });
    }
    if (!matched) unmatched.push(pattern);
  }
  return { artifacts: [...artifacts.values()], unmatched };
}
