/**
 * Reads a Codex rollout file (`.jsonl` or `.jsonl.zst`) into JSON lines,
 * reporting what cannot be read instead of throwing: a binary file, an empty
 * file, a corrupt line. A truncated last line (a session still being written,
 * or cut off by a crash) is tolerated.
 */
import { createReadStream, promises as fs } from 'node:fs';
import zlib from 'node:zlib';

/** One parsed line; `n` is its 1-based line number. */
export interface RolloutLine {
  n: number;
  value: Record<string, unknown>;
}

/** A problem at a line of the file. `fatal` problems mean the file was skipped. */
export interface ReadProblem {
  line: number;
  column: number;
  message: string;
  fatal: boolean;
  /** `warning`: the session is imported, but something in it could not be read. Default `error`. */
  severity?: 'error' | 'warning';
}

export interface RolloutText {
  lines: RolloutLine[];
  problems: ReadProblem[];
  /** The decompressed bytes' length, for reporting. */
  bytes: number;
}

/** Largest rollout read (after decompression) by default: 256 MiB; `LAB_SESSION_MAX_BYTES` overrides. */
const DEFAULT_MAX_ROLLOUT_BYTES = 256 * 1024 * 1024;

function maxRolloutBytes(): number {
  const n = Number(process.env.LAB_SESSION_MAX_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_ROLLOUT_BYTES;
}

/**
 * Reads and decompresses a rollout file. Decompression is streamed and capped:
 * a 64 KB `.zst` that expands to gigabytes is refused at `maxBytes`, not held in memory.
 */
export async function readRolloutFile(file: string, options: { maxBytes?: number } = {}): Promise<RolloutText> {
  const maxBytes = options.maxBytes ?? maxRolloutBytes();
  const tooBig = (what: string) => fatal(`${what} more than ${formatBytes(maxBytes)}; skipped (a decompression bomb, or set LAB_SESSION_MAX_BYTES)`);
  if (!file.endsWith('.zst')) {
    const stat = await fs.stat(file);
    if (stat.size > maxBytes) return tooBig('the file holds');
    return splitRolloutText(await fs.readFile(file));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    const over = await decompressChunks(file, (chunk) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      return size > maxBytes;
    });
    if (over) return tooBig('it decompresses to');
  } catch (e) {
    return fatal(`cannot decompress zstd file: ${(e as Error).message}`);
  }
  return splitRolloutText(Buffer.concat(chunks, size));
}

/**
 * Streams a `.zst` file through the decompressor, handing each chunk to
 * `onChunk`; stops early (returning true) as soon as `onChunk` returns true.
 */
async function decompressChunks(file: string, onChunk: (chunk: Buffer) => boolean): Promise<boolean> {
  const source = createReadStream(file);
  const inflate = zlib.createZstdDecompress();
  source.on('error', (e) => inflate.destroy(e));
  source.pipe(inflate);
  try {
    for await (const chunk of inflate) if (onChunk(chunk as Buffer)) return true;
    return false;
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${n} bytes`;
}

/** Splits decompressed rollout bytes into JSON lines. */
export function splitRolloutText(buf: Uint8Array): RolloutText {
  if (buf.length === 0) return fatal('empty file: not a Codex rollout');
  if (buf.includes(0)) return fatal('binary file (contains NUL bytes): not a Codex rollout');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return fatal('not UTF-8 text: not a Codex rollout');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const raw = text.split('\n');
  const endsWithNewline = raw[raw.length - 1] === '';
  if (endsWithNewline) raw.pop();
  const lines: RolloutLine[] = [];
  const problems: ReadProblem[] = [];
  raw.forEach((line, idx) => {
    const n = idx + 1;
    const trimmed = line.replace(/\r$/, '');
    if (!trimmed.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      // The last line of a live or crashed session may be cut mid-write: not an error.
      if (idx === raw.length - 1 && !endsWithNewline && trimmed.trimStart().startsWith('{')) return;
      problems.push({ line: n, column: 1, message: `corrupt line skipped: ${(e as Error).message}`, fatal: false });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line: n, column: 1, message: 'line skipped: not a JSON object', fatal: false });
      return;
    }
    lines.push({ n, value: value as Record<string, unknown> });
  });
  return { lines, problems, bytes: buf.length };
}

function fatal(message: string): RolloutText {
  return { lines: [], problems: [{ line: 1, column: 1, message, fatal: true }], bytes: 0 };
}

/**
 * The working directory from the first line of a plain `.jsonl` rollout, reading only
 * its head: lets an import skip other repositories' sessions without parsing them.
 * Null when it cannot tell (compressed, legacy header, unreadable): then parse fully.
 */
export async function peekSessionCwd(file: string): Promise<string | null> {
  if (file.endsWith('.jsonl.zst')) return peekCompressedCwd(file);
  if (!file.endsWith('.jsonl')) return null;
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const end = buf.subarray(0, bytesRead).indexOf(10);
    if (end === -1) return null;
    const first = JSON.parse(buf.subarray(0, end).toString('utf8')) as { type?: unknown; payload?: { cwd?: unknown } };
    return first.type === 'session_meta' && typeof first.payload?.cwd === 'string' ? first.payload.cwd : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The same for a `.jsonl.zst`: decompresses only until the first line ends (at most 1 MiB). */
async function peekCompressedCwd(file: string): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let line: Buffer | null = null;
  try {
    await decompressChunks(file, (chunk) => {
      const nl = chunk.indexOf(10);
      chunks.push(nl === -1 ? chunk : chunk.subarray(0, nl));
      size += nl === -1 ? chunk.byteLength : nl;
      if (nl !== -1) line = Buffer.concat(chunks);
      return nl !== -1 || size > 1 << 20;
    });
  } catch {
    return null;
  }
  if (!line) return null;
  try {
    const first = JSON.parse((line as Buffer).toString('utf8')) as { type?: unknown; payload?: { cwd?: unknown } };
    return first.type === 'session_meta' && typeof first.payload?.cwd === 'string' ? first.payload.cwd : null;
  } catch {
    return null;
  }
}
