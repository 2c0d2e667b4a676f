/**
 * Stage 6b — emit: write the derived files to `.lab/`, and only those whose
 * content changed, so file watchers (the dev server) stay quiet and a rebuild
 * after one edit rewrites one shard. Whether a file changed is decided from its
 * signature (a hash of what it is made of), without building its text or
 * reading the old file.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';

/** One derived file. */
export interface Output {
  /** Path under `.lab/`. */
  file: string;
  /** Equal signatures mean equal bytes. */
  signature: string;
  text(): string;
}

/** An output whose signature is the hash of its text (for files that are cheap to build). */
export function textOutput(file: string, text: string): Output {
  return { file, signature: createHash('sha1').update(text).digest('hex'), text: () => text };
}

/**
 * Writes every output whose signature differs from `written` (what was last
 * written, by file) or whose file is missing, and removes shards in
 * `.lab/index/` that are no longer produced. Updates `written`.
 */
export async function emit(root: string, outputs: Output[], written: Map<string, string>): Promise<{ wrote: string[] }> {
  const lab = path.join(root, '.lab');
  const wrote: string[] = [];
  for (const out of outputs) {
    const file = path.join(lab, out.file);
    if (written.get(out.file) === out.signature && existsSync(file)) continue;
    await writeFileAtomic(file, out.text(), { durable: false });
    written.set(out.file, out.signature);
    wrote.push(out.file);
  }
  const produced = new Set(outputs.map((o) => o.file));
  const shards = await fs.readdir(path.join(lab, 'index')).catch(() => [] as string[]);
  for (const name of shards) {
    const rel = `index/${name}`;
    if (!produced.has(rel) && name.endsWith('.json')) await fs.rm(path.join(lab, rel), { force: true });
  }
  for (const file of written.keys()) if (!produced.has(file)) written.delete(file);
  return { wrote };
}
