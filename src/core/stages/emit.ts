/**
 * Stage 6 — emit: write the derived JSON to `.lab/`, byte-stable (sorted keys),
 * and only when it changed so file watchers stay quiet.
 */
import path from 'node:path';
import { writeIfChanged } from '../fs/atomic.ts';
import { canonicalJson } from '../hash.ts';
import type { CompileResult } from '../model.ts';

export async function emit(root: string, result: Pick<CompileResult, 'index' | 'lineage' | 'diagnostics'>): Promise<void> {
  const dir = path.join(root, '.lab');
  await Promise.all([
    writeIfChanged(path.join(dir, 'index.json'), `${canonicalJson(result.index, 1)}\n`),
    writeIfChanged(path.join(dir, 'lineage.json'), `${canonicalJson(result.lineage, 1)}\n`),
    writeIfChanged(path.join(dir, 'diagnostics.json'), `${JSON.stringify(result.diagnostics, null, 1)}\n`),
  ]);
}
