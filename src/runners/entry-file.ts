/**
 * Reading an entry for a run: parse its header, find its type, hash its
 * inputs (the same `computeInputsHash` the compiler's stale check uses) and
 * decide whether it may run now.
 */
import { existsSync, promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { type Diagnostic, displayPath, LabError } from '../core/diagnostics.ts';
import { sha256 } from '../core/hash.ts';
import { computeInputsHash, findFileReferences } from '../core/inputs.ts';
import { decodeUtf8 } from '../core/source/encoding.ts';
import { splitMarkdown } from '../core/source/frontmatter.ts';
import { splitOrg } from '../core/source/org.ts';
import { type KeyPositions, positionOf } from '../core/source/positions.ts';
import { isInside, resolvesInside } from './paths.ts';
import { type EntryFormat, formatOf, splitEntry } from './write-back.ts';

/** One file named in the inputs. */
interface InputFile {
  /** Dotted key path in `inputs`, e.g. `workflow`. */
  key: string;
  /** As written, e.g. `./workflow.json`. */
  ref: string;
  /** Absolute path. */
  abs: string;
  /** `sha256:…` of its bytes; null when missing. */
  hash: string | null;
  /** False when it leaves the workspace, lexically or through a symlink. */
  inside: boolean;
}

/** An entry file read for running. */
export interface LoadedEntry {
  root: string;
  absPath: string;
  /** Workspace-relative, forward slashes. */
  relPath: string;
  format: EntryFormat;
  text: string;
  data: Record<string, unknown>;
  positions: KeyPositions;
  id: string;
  type: string;
  status: string;
  inputs: Record<string, unknown>;
  inputFiles: InputFile[];
  inputsHash: string;
}

/** Walks up from `start` to the workspace root (lab.config.yaml or content/notebooks), like the SDK does. */
export function findRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'lab.config.yaml')) || existsSync(path.join(dir, 'content', 'notebooks'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new LabError(`${start} is not inside a lab journal (no lab.config.yaml or content/notebooks/ above it)`, { exitCode: 2 });
    dir = up;
  }
}

/** `path:line:col: message` for a key of the entry. */
export function at(entry: Pick<LoadedEntry, 'relPath' | 'positions'>, keyPath: readonly PropertyKey[], message: string): string {
  return formatAt(diagnosticAt(entry, keyPath, message));
}

/** A problem at a key of the entry, as a Diagnostic (for reporting several at once). */
export function diagnosticAt(entry: Pick<LoadedEntry, 'relPath' | 'positions'>, keyPath: readonly PropertyKey[], message: string): Diagnostic {
  const pos = positionOf(entry.positions, keyPath) ?? [1, 1];
  return { file: entry.relPath, line: pos[0], column: pos[1], severity: 'error', rule: 'run-inputs', message };
}

/** `path:line:col: message` (no severity: a run error is always an error). */
export function formatAt(d: Diagnostic): string {
  return `${displayPath(d.file)}:${d.line}:${d.column}: ${d.message}`;
}

export async function loadEntry(absPath: string, root: string): Promise<LoadedEntry> {
  const relPath = path.relative(root, absPath).split(path.sep).join('/');
  const bytes = await fs.readFile(absPath).catch((e: NodeJS.ErrnoException) => {
    throw new LabError(e.code === 'ENOENT' ? `${relPath}: no such entry file` : `${relPath}: cannot read: ${e.message}`);
  });
  // Decoded strictly: a file read with U+FFFD in place of bad bytes would be written back that way.
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw new LabError(`${displayPath(relPath)}:${decoded.problem.line}:${decoded.problem.column}: ${decoded.problem.message}`);
  const text = decoded.text;
  const format = formatOf(absPath);
  if (!/\.(md|org)$/i.test(absPath)) throw new LabError(`${relPath}: an entry is a .md or .org file`);
  const split = splitEntry(text, format);
  if (split.problems.length) {
    const p = split.problems[0]!;
    throw new LabError(`${displayPath(relPath)}:${p.line}:${p.column}: ${p.message}`);
  }
  if (!split.data) throw new LabError(`${displayPath(relPath)}:1:1: not an entry: it has no ${format === 'org' ? '#+KEY: value header' : 'frontmatter'}`);
  const data = split.data;
  const base = { relPath, positions: split.positions };
  if (typeof data.id !== 'string' || !data.id) throw new LabError(at(base, ['id'], 'the entry has no `id` (run `lab check --fix` to assign one)'));
  const type = typeof data.type === 'string' && data.type ? data.type : await defaultType(root, relPath);
  if (!type) throw new LabError(at(base, ['type'], 'the entry has no `type` and its notebook sets no `settings.default_entry_type`'));
  const inputs = data.inputs ?? {};
  if (typeof inputs !== 'object' || Array.isArray(inputs)) throw new LabError(at(base, ['inputs'], '`inputs` must be a mapping (key: value pairs)'));

  const inputFiles: InputFile[] = [];
  const fileHashes: Record<string, string | null> = {};
  for (const { key, ref } of findFileReferences(inputs)) {
    const abs = path.resolve(path.dirname(absPath), ref);
    let hash: string | null = null;
    const inside = resolvesInside(root, abs);
    if (inside) hash = await fs.readFile(abs).then(sha256, () => null);
    inputFiles.push({ key, ref, abs, hash, inside });
    fileHashes[ref] = hash;
  }
  return {
    root,
    absPath,
    relPath,
    format,
    text,
    data,
    positions: split.positions,
    id: data.id,
    type,
    status: typeof data.status === 'string' ? data.status : 'created',
    inputs: inputs as Record<string, unknown>,
    inputFiles,
    inputsHash: computeInputsHash(inputs as Record<string, unknown>, fileHashes),
  };
}

/** Refuses input files that are missing or outside the workspace (checked before anything runs). */
export function checkInputFiles(entry: LoadedEntry): void {
  for (const f of entry.inputFiles) {
    if (!f.inside)
      throw new LabError(
        at(
          entry,
          ['inputs', ...f.key.split('.')],
          `input \`${f.ref}\` points outside the workspace${isInside(entry.root, f.abs) ? ' (through a symlink); it is not read' : ''}`,
        ),
      );
    if (!f.hash) throw new LabError(at(entry, ['inputs', ...f.key.split('.')], `input file \`${f.ref}\` does not exist`));
  }
}

/** Why an entry will not run now (null: it may run). */
export function refusal(entry: LoadedEntry, options: { force?: boolean; stale?: boolean; broad?: boolean }): { reason: string; skip: boolean } | null {
  const execution = (entry.data.execution ?? {}) as Record<string, unknown>;
  if (entry.status === 'running') {
    const host = typeof execution.host === 'string' ? execution.host : null;
    if (host && host !== hostname()) {
      return options.force ? null : { reason: `is marked running on host ${host}; if that run is gone, re-run with --force`, skip: false };
    }
    // On this host the entry's lock decides (a recorded pid may have been reused by another process).
    return null;
  }
  if (entry.status === 'completed' && !options.force) {
    const recorded = execution.inputs_hash;
    const stale = typeof recorded === 'string' && recorded !== entry.inputsHash;
    if (stale && options.stale) return null;
    return stale
      ? {
          reason: 'is completed but stale (its inputs changed); re-run with --force or --stale, or try the change with `lab variation`',
          skip: Boolean(options.broad),
        }
      : { reason: 'is completed and up to date (use --force to run it again)', skip: true };
  }
  return null;
}

/** The notebook's `settings.default_entry_type`, for entries without a `type`. */
async function defaultType(root: string, relPath: string): Promise<string | null> {
  const parts = relPath.split('/');
  if (parts[0] !== 'content' || parts[1] !== 'notebooks' || parts.length < 4) return null;
  const dir = path.join(root, 'content', 'notebooks', parts[2]!);
  const md = await fs.readFile(path.join(dir, 'README.md'), 'utf8').catch(() => null);
  const org = md === null ? await fs.readFile(path.join(dir, 'README.org'), 'utf8').catch(() => null) : null;
  if (md === null && org === null) return null;
  const data = md !== null ? splitMarkdown(md).data : splitOrg(org!).data;
  const settings = data?.settings as Record<string, unknown> | undefined;
  return typeof settings?.default_entry_type === 'string' ? settings.default_entry_type : null;
}

/** Resolves a path named in the inputs: `./`/`../` against the entry folder, anything else against the workspace root. */
export function resolveInputFile(entry: LoadedEntry, ref: string, key: string): string {
  const abs = ref.startsWith('./') || ref.startsWith('../') ? path.resolve(path.dirname(entry.absPath), ref) : path.resolve(entry.root, ref);
  if (!resolvesInside(entry.root, abs)) {
    const how = isInside(entry.root, abs) ? ' (through a symlink)' : '';
    throw new LabError(at(entry, ['inputs', ...key.split('.')], `\`${ref}\` points outside the workspace${how}; it is not read`));
  }
  return abs;
}
