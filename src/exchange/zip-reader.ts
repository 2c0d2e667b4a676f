/**
 * Reading zip files without trusting them (yauzl: the central directory is read,
 * entry data is streamed on demand, so a large archive never sits in memory).
 * Entries that would escape the target folder — `..` segments, absolute paths,
 * drive letters, symlinks — are refused (zip-slip), and listed with the reason;
 * the rest of the archive is still usable. Names are normalized the way real
 * exports need: `\` becomes `/`, and `//` (eLabFTW) collapses to `/`.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { LabError } from '../core/diagnostics.ts';

/** One usable zip entry. */
export interface ZipItem {
  /** Normalized path inside the archive (no leading `./`, single slashes, no trailing slash). */
  name: string;
  directory: boolean;
  /** Uncompressed size in bytes. */
  size: number;
  entry: yauzl.Entry;
}

/** An entry the reader refused, and why. */
export interface ZipRefusal {
  name: string;
  reason: string;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why a raw entry name is unsafe, or null when it is fine. */
function unsafeName(raw: string): string | null {
  const name = raw.replace(/\\/g, '/');
  if (name.includes('\0')) return 'name contains a NUL byte';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'absolute path (drive letter)';
  if (name.split('/').some((seg) => seg === '..')) return 'path leaves the archive folder (`..`)';
  return null;
}

/** `a//b/./c/` → `a/b/c`. */
export function normalizeName(raw: string): string {
  return raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
}

export class ZipReader {
  readonly items: ZipItem[];
  readonly refused: ZipRefusal[];
  readonly #zip: yauzl.ZipFile;
  readonly #byName: Map<string, ZipItem>;

  private constructor(zip: yauzl.ZipFile, items: ZipItem[], refused: ZipRefusal[]) {
    this.#zip = zip;
    this.items = items;
    this.refused = refused;
    this.#byName = new Map(items.filter((i) => !i.directory).map((i) => [i.name, i]));
  }

  static async open(file: string): Promise<ZipReader> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      // decodeStrings: false — yauzl would abort the whole archive on one bad name; we refuse that entry only.
      yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z!)));
    }).catch((e: Error) => {
      throw new LabError(`${file}: not a readable zip file (${e.message})`);
    });
    const items: ZipItem[] = [];
    const refused: ZipRefusal[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const bytes = entry.fileName as unknown as Buffer;
        // Bit 11: UTF-8 names. Others are CP437 by the spec; real tools write UTF-8 anyway, so try it first.
        const raw = entry.generalPurposeBitFlag & 0x800 || isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
        const unsafe = unsafeName(raw);
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (unsafe) refused.push({ name: raw, reason: unsafe });
        else if (mode === S_IFLNK) refused.push({ name: raw, reason: 'symbolic link' });
        else if (entry.generalPurposeBitFlag & 0x1) refused.push({ name: raw, reason: 'encrypted' });
        else {
          const name = normalizeName(raw);
          if (name) items.push({ name, directory: raw.endsWith('/') || raw.endsWith('\\'), size: entry.uncompressedSize, entry });
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new ZipReader(zip, items, refused);
  }

  /** The file entry with this normalized name. */
  get(name: string): ZipItem | undefined {
    return this.#byName.get(normalizeName(name));
  }

  /** A stream of the entry's bytes (sizes and CRC checked by yauzl). */
  stream(item: ZipItem): Promise<Readable> {
    return new Promise((resolve, reject) => this.#zip.openReadStream(item.entry, (err, s) => (err ? reject(err) : resolve(s!))));
  }

  /** The entry's bytes; refuses entries larger than `max`. */
  async buffer(item: ZipItem, max = 64 * 1024 * 1024): Promise<Buffer> {
    if (item.size > max) throw new LabError(`${item.name}: ${item.size} bytes is too large to read into memory`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(item)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.#zip.close();
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
