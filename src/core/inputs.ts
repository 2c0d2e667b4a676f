import path from 'node:path';
import { canonicalJson, sha256 } from './hash.ts';

/** True for strings that name a file next to the entry (`./x`, `../x`). */
function isFileReference(value: unknown): value is string {
  return typeof value === 'string' && (value.startsWith('./') || value.startsWith('../'));
}

/**
 * Keys of `inputs` that name what a run *produces* (`command`'s output globs):
 * their paths are not inputs, so they are neither required to exist nor hashed.
 */
const OUTPUT_KEYS: ReadonlySet<string> = new Set(['outputs']);

/** Every file reference in `inputs`, with the dotted key path it was found at (declared outputs excluded). */
export function findFileReferences(inputs: unknown, prefix = ''): { key: string; ref: string }[] {
  const out: { key: string; ref: string }[] = [];
  if (isFileReference(inputs)) out.push({ key: prefix, ref: inputs });
  else if (Array.isArray(inputs)) inputs.forEach((v, i) => out.push(...findFileReferences(v, prefix ? `${prefix}.${i}` : String(i))));
  else if (inputs && typeof inputs === 'object') {
    for (const [k, v] of Object.entries(inputs)) {
      if (!prefix && OUTPUT_KEYS.has(k)) continue;
      out.push(...findFileReferences(v, prefix ? `${prefix}.${k}` : k));
    }
  }
  return out;
}

/** Resolves a file reference against the entry's folder to a workspace-relative POSIX path. */
export function resolveReference(entryRelPath: string, ref: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(entryRelPath), ref));
}

/**
 * The inputs hash recorded in `execution.inputs_hash`: the inputs exactly as
 * written (placeholders like `${env:TOKEN}` unresolved, so no secret is hashed)
 * plus the sha256 of every referenced input file's bytes. A missing file hashes as
 * `missing`, so creating it later makes the entry stale.
 */
export function computeInputsHash(inputs: Record<string, unknown>, fileHashes: Record<string, string | null>): string {
  return inputsHashOf(canonicalJson(inputs), fileHashes);
}

/**
 * The same hash from `inputs` already in canonical JSON (the compiler keeps it per
 * file): the bytes hashed are exactly `canonicalJson({ files, inputs })`.
 */
export function inputsHashOf(inputsJson: string, fileHashes: Record<string, string | null>): string {
  const files: Record<string, string> = {};
  for (const [ref, h] of Object.entries(fileHashes)) files[ref] = h ?? 'missing';
  return sha256(`{"files":${canonicalJson(files)},"inputs":${inputsJson}}`);
}
