/**
 * `lab build` keeps the previous `dist/` in place, so that Astro's incremental build leaves every
 * unchanged page where it is (no copy from its cache) and the assets are linked again only when
 * they changed. What the new build did not produce must then go: after the build, every file
 * that is older than the build and that neither Astro kept (its incremental manifest lists every
 * page it kept or rendered) nor the build placed (blobs, thumbnails, note files) is removed —
 * pages of deleted entries, a renamed file, anything else left in the folder.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file-system time at which a build starts: files written by the build are at least as new. */
export function markBuildStart(marker: string): number {
  // The file system's clock, not Date.now(): the two differ by the kernel's timestamp granularity.
  mkdirSync(path.dirname(marker), { recursive: true });
  writeFileSync(marker, '');
  return statSync(marker).mtimeMs;
}

/** The output files (relative to `out`, decoded) Astro's incremental manifest says this build kept or rendered. */
export function incrementalOutputs(manifestFile: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { routes?: Record<string, { paths?: Record<string, { outputFile?: string }> }> };
    return Object.values(manifest.routes ?? {}).flatMap((route) =>
      Object.values(route.paths ?? {}).flatMap((p) => (p.outputFile ? [decodeURIComponent(p.outputFile)] : [])),
    );
  } catch {
    return [];
  }
}

/**
 * Removes from `out` every file last written before `since` that is not in `keep` (paths
 * relative to `out`, `/`-separated), then the folders left empty; the top-level folders in
 * `owned` are left alone (their writers remove what they no longer write). Returns how many files went.
 */
export function sweepOutput(out: string, since: number, keep: ReadonlySet<string>, owned: readonly string[] = []): number {
  let removed = 0;
  const visit = (dir: string, rel: string): boolean => {
    let empty = true;
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      const itemRel = rel ? `${rel}/${item.name}` : item.name;
      if (item.isDirectory()) {
        if (!rel && owned.includes(item.name)) empty = false;
        else if (visit(full, itemRel)) rmdirSync(full);
        else empty = false;
      } else if (!keep.has(itemRel) && statSync(full).mtimeMs < since) {
        unlinkSync(full);
        removed++;
      } else empty = false;
    }
    return empty;
  };
  try {
    visit(out, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return removed;
}
