/** Attaching files to a `manual` entry: blobs first, then only `artifacts` is rewritten in the entry file. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { replaceFileIfUnchanged } from '../core/fs/atomic.ts';
import type { Artifact } from '../core/schema/entry.ts';
import { BlobStore } from './blobs.ts';
import { at, findRoot, loadEntry } from './entry-file.ts';
import { canonicalType } from './registry.ts';
import { selectEntries } from './select.ts';
import { storeArtifacts } from './store-results.ts';
import { applyRunnerValues } from './write-back.ts';

export interface AttachResult {
  entry: string;
  path: string;
  added: Artifact[];
  artifacts: Artifact[];
}

/** Adds `files` (paths relative to `cwd`) to the entry `ref` (id or path). */
export async function attachFiles(ref: string, files: string[], options: { cwd?: string; root?: string } = {}): Promise<AttachResult> {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root ?? findRoot(/\.(md|org)$/i.test(ref) ? path.dirname(path.resolve(cwd, ref)) : cwd);
  const [file] = await selectEntries(root, cwd, { refs: [ref] });
  const entry = await loadEntry(file!, root);
  if (canonicalType(entry.type) !== 'manual') {
    throw new LabError(
      at(entry, ['type'], `lab attach adds files to \`manual\` entries; ${entry.id} is a \`${entry.type}\` entry, whose artifacts come from running it`),
    );
  }
  const inputs = [];
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    const stat = await fs.stat(abs).catch(() => null);
    if (!stat) throw new LabError(`${f}: no such file`);
    if (!stat.isFile()) throw new LabError(`${f}: not a regular file`);
    inputs.push({ name: path.basename(abs), path: abs });
  }
  const added = await storeArtifacts(new BlobStore(root), inputs, (s) => s);
  const existing = Array.isArray(entry.data.artifacts) ? (entry.data.artifacts as Artifact[]) : [];
  const byName = new Map(existing.map((a) => [a.name, a]));
  for (const a of added) byName.set(a.name, a);
  const artifacts = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const next = applyRunnerValues(entry.text, entry.format, { artifacts });
  if (!(await replaceFileIfUnchanged(file!, entry.text, next)))
    throw new LabError(`${entry.relPath} changed on disk meanwhile; nothing was attached (the blobs are stored; run again)`);
  return { entry: entry.id, path: entry.relPath, added, artifacts };
}
