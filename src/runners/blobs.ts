/**
 * The content-addressed blob store, `content/blobs/<aa>/<sha256>.<ext>`:
 * every artifact and log is stored once under the hash of its bytes, written
 * atomically (temp file + rename) and verified against that hash when read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { storageError } from '../core/fs/storage-error.ts';

/** A stored blob. */
export interface StoredBlob {
  /** `sha256:<hex>`. */
  hash: string;
  size: number;
  /** Absolute path in the store. */
  path: string;
  /** False when identical bytes were already stored. */
  created: boolean;
}

const HASH = /^sha256:([0-9a-f]{64})$/;

/** Blob storage rooted at `<workspace>/content/blobs`. */
export class BlobStore {
  readonly dir: string;
  readonly root: string;

  constructor(workspaceRoot: string) {
    this.root = workspaceRoot;
    this.dir = path.join(workspaceRoot, 'content', 'blobs');
  }

  /** Stores bytes; `ext` is the file extension without a dot (sanitized; `bin` when unusable). */
  async putBytes(data: Uint8Array | string, ext: string): Promise<StoredBlob> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const hex = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.locate(hex);
    if (existing) return { hash: `sha256:${hex}`, size: bytes.byteLength, path: existing, created: false };
    const target = this.pathFor(hex, ext);
    const tmp = tempName(target);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      const handle = await fs.open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { hash: `sha256:${hex}`, size: bytes.byteLength, path: await settle(tmp, target), created: true };
    } catch (e) {
      // A full disk or a read-only store leaves no temp file behind.
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw storageError(e, target, this.root);
    }
  }

  /** Stores a file by streaming it (hash and copy in one pass), so large outputs never sit in memory. */
  async putFile(file: string, ext: string): Promise<StoredBlob> {
    return this.putStream(createReadStream(file), ext, undefined, file);
  }

  /**
   * Stores a stream (hash and copy in one pass). With `expected` (`sha256:…`), bytes that hash
   * differently are discarded and the call fails: nothing unverified enters the store. A storage
   * fault (disk full, read-only) leaves no temp file and names the path; `source` names the file
   * being read, for a fault on that side.
   */
  async putStream(stream: AsyncIterable<Uint8Array>, ext: string, expected?: string, source?: string): Promise<StoredBlob> {
    const tmp = path.join(this.dir, `.incoming-${randomBytes(6).toString('hex')}.tmp`);
    let target = tmp;
    try {
      await fs.mkdir(this.dir, { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const out = await fs.open(tmp, 'wx');
      try {
        for await (const chunk of stream) {
          hash.update(chunk);
          size += chunk.byteLength;
          await out.write(chunk);
        }
        await out.sync();
      } finally {
        await out.close();
      }
      const hex = hash.digest('hex');
      if (expected && expected !== `sha256:${hex}`) {
        throw new LabError(`content does not match its sha256: expected ${expected.slice(7)}, got ${hex}`);
      }
      const existing = await this.locate(hex);
      if (existing) {
        await fs.rm(tmp, { force: true });
        return { hash: `sha256:${hex}`, size, path: existing, created: false };
      }
      target = this.pathFor(hex, ext);
      await fs.mkdir(path.dirname(target), { recursive: true });
      return { hash: `sha256:${hex}`, size, path: await settle(tmp, target), created: true };
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      if (e instanceof LabError) throw e;
      if (source && (e as NodeJS.ErrnoException).path === source) throw storageError(e, source, this.root, 'cannot read');
      throw storageError(e, target === tmp ? this.dir : target, this.root);
    }
  }

  /** Absolute path of the stored blob with this hash (any extension), or null. */
  async find(hash: string): Promise<string | null> {
    const m = HASH.exec(hash);
    if (!m) throw new LabError(`not a blob hash: ${hash} (expected sha256:<64 hex digits>)`);
    return this.locate(m[1]!);
  }

  /** Reads a blob and checks its bytes against the hash; a mismatch is an error, never silently returned. */
  async read(hash: string): Promise<Buffer> {
    const file = await this.find(hash);
    if (!file) throw new LabError(`blob ${hash} is missing from ${path.relative(process.cwd(), this.dir) || this.dir}`);
    const data = await fs.readFile(file);
    const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    if (actual !== hash) throw new LabError(`blob ${file} is corrupt: its bytes hash to ${actual}, not ${hash}`);
    return data;
  }

  /** Where a blob with this hex digest and extension lives. */
  pathFor(hex: string, ext: string): string {
    const safeExt = /^[a-z0-9]{1,12}$/.test(ext) ? ext : 'bin';
    return path.join(this.dir, hex.slice(0, 2), `${hex}.${safeExt}`);
  }

  private async locate(hex: string): Promise<string | null> {
    const dir = path.join(this.dir, hex.slice(0, 2));
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const name = names.find((n) => n.startsWith(`${hex}.`) && !n.endsWith('.tmp'));
    return name ? path.join(dir, name) : null;
  }
}

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Renames the temp file into place; if another writer got there first, keeps theirs (same bytes). */
async function settle(tmp: string, target: string): Promise<string> {
  try {
    await fs.link(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }
  await fs.rm(tmp, { force: true });
  return target;
}
