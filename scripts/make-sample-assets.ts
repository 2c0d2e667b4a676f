/**
 * Regenerates the binary assets of the sample journal in `content/`:
 *
 * - the greenhouse SQLite database the "Data pipeline" notebook queries
 *   (`content/notebooks/data-pipeline/greenhouse-ingest-qa/entries/data/greenhouse.sqlite`),
 * - the sample renders (PNG) as content-addressed blobs in `content/blobs/`, and
 *   the `artifacts:` list of each manual entry that records them (only that key
 *   and `status` are touched; comments, key order and the body are kept).
 *
 * Deterministic: seeded PRNGs only, so a rerun produces identical bytes on the
 * same sharp/libvips build. A blob that an entry stops referencing is deleted
 * if no other file under content/notebooks mentions its hash.
 *
 *   node scripts/make-sample-assets.ts [--root <workspace>] [--check]
 *
 * `--check` writes nothing and exits 1 if any asset or entry would change.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Document, isMap, isSeq, parseDocument } from 'yaml';
import { writeFileAtomic } from '../src/core/fs/atomic.ts';
import { findFrontmatter } from '../src/core/source/frontmatter.ts';
import { writeGreenhouseDatabase } from './sample-assets/database.ts';
import { RENDERS, renderPng } from './sample-assets/renders.ts';

const DB_PATH = 'content/notebooks/data-pipeline/greenhouse-ingest-qa/entries/data/greenhouse.sqlite';

interface ArtifactRecord {
  name: string;
  hash: string;
  type: string;
  size_bytes: number;
  width: number;
  height: number;
}

const { values } = parseArgs({ options: { root: { type: 'string' }, check: { type: 'boolean', default: false } } });
const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
const checkOnly = values.check ?? false;
const changes: string[] = [];

/** All text under content/notebooks, to tell whether a blob is still referenced. */
function notebookText(): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|org)$/.test(e.name)) parts.push(readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'content/notebooks'));
  return parts.join('\n');
}

function blobPath(hex: string, ext: string): string {
  return path.join(root, 'content/blobs', hex.slice(0, 2), `${hex}.${ext}`);
}

/** Previously recorded artifact hashes of an entry's frontmatter. */
function artifactHashes(doc: Document): string[] {
  const list = doc.get('artifacts');
  if (!isSeq(list)) return [];
  return list.items.flatMap((item) => (isMap(item) && typeof item.get('hash') === 'string' ? [String(item.get('hash'))] : []));
}

/** Sets `status` and `artifacts` in an entry's frontmatter, keeping everything else byte for byte. */
async function recordArtifacts(entryRel: string, artifacts: ArtifactRecord[]): Promise<string[]> {
  const file = path.join(root, entryRel);
  const text = readFileSync(file, 'utf8');
  const block = findFrontmatter(text);
  if (!block) throw new Error(`${entryRel}: no frontmatter block to record artifacts in`);
  const doc = parseDocument(text.slice(block.yamlStart, block.yamlEnd));
  if (doc.errors.length) throw new Error(`${entryRel}: ${doc.errors[0]!.message}`);
  const previous = artifactHashes(doc);
  doc.set('status', 'completed');
  const seq = doc.createNode(artifacts);
  for (const item of seq.items) if (isMap(item)) item.flow = true;
  doc.set('artifacts', seq);
  const next = text.slice(0, block.yamlStart) + doc.toString({ lineWidth: 0, flowCollectionPadding: false }) + text.slice(block.yamlEnd);
  if (next !== text) {
    changes.push(entryRel);
    if (!checkOnly) await writeFileAtomic(file, next);
  }
  return previous;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'content/notebooks'))) throw new Error(`${root}: no content/notebooks here (use --root)`);

  // The database: regenerate into a temp dir and compare, so --check can tell whether it changed.
  const dbFile = path.join(root, DB_PATH);
  const scratch = path.join(root, 'content', `.greenhouse-${process.pid}.sqlite`);
  const counts = writeGreenhouseDatabase(scratch);
  const fresh = readFileSync(scratch);
  rmSync(scratch);
  if (!existsSync(dbFile) || !fresh.equals(readFileSync(dbFile))) {
    changes.push(DB_PATH);
    if (!checkOnly) await writeFileAtomic(dbFile, fresh);
  }
  console.log(
    `${DB_PATH}: ${fresh.length} bytes, ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );

  // The renders, grouped by the entry that records them.
  const byEntry = new Map<string, ArtifactRecord[]>();
  let blobBytes = 0;
  for (const spec of RENDERS) {
    const { png, width, height } = await renderPng(spec);
    const hex = createHash('sha256').update(png).digest('hex');
    const file = blobPath(hex, 'png');
    if (!existsSync(file)) {
      changes.push(path.relative(root, file));
      if (!checkOnly) {
        mkdirSync(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, png);
      }
    }
    blobBytes += png.length;
    const list = byEntry.get(spec.entry) ?? [];
    list.push({ name: spec.name, hash: `sha256:${hex}`, type: 'image/png', size_bytes: png.length, width, height });
    byEntry.set(spec.entry, list);
    console.log(`${spec.name.padEnd(44)} ${width}x${height} ${String(png.length).padStart(6)} B  sha256:${hex.slice(0, 12)}…`);
  }

  const replaced: string[] = [];
  for (const [entry, artifacts] of byEntry) replaced.push(...(await recordArtifacts(entry, artifacts)));

  // Blobs that no entry mentions any more (an older render of the same image) are removed.
  if (!checkOnly) {
    const text = notebookText();
    for (const hash of new Set(replaced)) {
      const hex = hash.replace(/^sha256:/, '');
      const file = blobPath(hex, 'png');
      if (!text.includes(hash) && existsSync(file)) {
        rmSync(file);
        console.log(`removed unreferenced blob ${path.relative(root, file)}`);
      }
    }
  }

  console.log(`${RENDERS.length} renders, ${blobBytes} bytes of blobs in content/blobs`);
  if (changes.length) console.log(`${checkOnly ? 'would change' : 'changed'}: ${changes.join(', ')}`);
  else console.log('everything up to date');
  if (checkOnly && changes.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`make-sample-assets: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
