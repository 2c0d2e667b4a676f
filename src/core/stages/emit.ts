/**
 * Stage 6 — emit: write the derived JSON to `.lab/`, deterministic, and only
 * when it changed so file watchers (the dev server) stay quiet.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';
import type { Diagnostic } from '../diagnostics.ts';

export async function emit(
  root: string,
  out: { index: string; lineage: string; diagnostics: Diagnostic[] },
  written: Map<string, string>,
): Promise<void> {
  const files: [string, string][] = [
    ['index.json', out.index],
    ['lineage.json', `${out.lineage}\n`],
    ['diagnostics.json', `${JSON.stringify(out.diagnostics, null, 1)}\n`],
  ];
  for (const [name, text] of files) {
    const file = path.join(root, '.lab', name);
    const before = written.get(name) ?? readOr(file);
    if (before !== text) await writeFileAtomic(file, text, { durable: false });
    written.set(name, text);
  }
}

function readOr(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
