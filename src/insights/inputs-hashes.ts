/**
 * Inputs hashes of existing entries and of points not yet created, with the
 * same `computeInputsHash` the runner records and the compiler's stale check
 * uses — so "this point was already tried" means exactly what `lab run` means.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../core/hash.ts';
import { computeInputsHash, findFileReferences, resolveReference } from '../core/inputs.ts';
import type { Entry } from '../core/model.ts';

/** Hashes inputs as they would be hashed in a file at `entryRelPath`; input files are read once each. */
export class InputsHasher {
  readonly root: string;
  readonly #files = new Map<string, Promise<string | null>>();

  constructor(root: string) {
    this.root = root;
  }

  readonly #entries = new Map<string, Promise<string>>();

  /** The current inputs hash of an indexed entry, computed once per hasher (a site build asks for every page and notebook). */
  entryHash(entry: Pick<Entry, 'id' | 'source' | 'inputs'>): Promise<string> {
    let h = this.#entries.get(entry.id);
    if (!h) {
      h = this.hash(entry.source.path, entry.inputs ?? {});
      this.#entries.set(entry.id, h);
    }
    return h;
  }

  async hash(entryRelPath: string, inputs: Record<string, unknown>): Promise<string> {
    const fileHashes: Record<string, string | null> = {};
    for (const { ref } of findFileReferences(inputs)) fileHashes[ref] = await this.#fileHash(resolveReference(entryRelPath, ref));
    return computeInputsHash(inputs, fileHashes);
  }

  #fileHash(rel: string): Promise<string | null> {
    let h = this.#files.get(rel);
    if (!h) {
      const abs = path.resolve(this.root, rel);
      // Files outside the workspace hash as missing, as the runner treats them.
      h = abs.startsWith(path.resolve(this.root) + path.sep) ? fs.readFile(abs).then(sha256, () => null) : Promise.resolve(null);
      this.#files.set(rel, h);
    }
    return h;
  }
}

/**
 * Every inputs hash already taken: the current hash of each given entry and
 * every hash any entry in the journal recorded when it ran.
 */
export async function existingHashes(hasher: InputsHasher, current: readonly Entry[], all: readonly Entry[]): Promise<Map<string, string>> {
  const taken = new Map(recordedHashes(all));
  for (const e of current) taken.set(await hasher.entryHash(e), e.id);
  return taken;
}

const recordedCache = new WeakMap<readonly Entry[], Map<string, string>>();

/** Hash → entry for every hash recorded by a run (`execution.inputs_hash`); once per list of entries. */
function recordedHashes(all: readonly Entry[]): Map<string, string> {
  let taken = recordedCache.get(all);
  if (!taken) {
    taken = new Map();
    for (const e of all) {
      const recorded = e.execution?.inputs_hash;
      if (typeof recorded === 'string' && !taken.has(recorded)) taken.set(recorded, e.id);
    }
    recordedCache.set(all, taken);
  }
  return taken;
}
