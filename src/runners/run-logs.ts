/**
 * A run's log streams, bounded: each chunk is decoded (a character split
 * across chunks stays whole), redacted (a secret split across chunks is still
 * caught) and kept as a head and a tail of at most `limit` bytes together.
 * 200 MB of stdout costs `limit` bytes of memory, not 200 MB, and the stored
 * log says how much was left out.
 */
import { StringDecoder } from 'node:string_decoder';
import { type ResolvedSecrets, StreamRedactor } from './secrets.ts';

/** Default bytes kept per stream (head and tail together). */
const DEFAULT_LOG_LIMIT = 4 * 1024 * 1024;

/** One stream's log, finished: the bytes to store and how many the run printed. */
export interface FinishedLog {
  /** What is stored: the whole log, or its head, a truncation marker and its tail. */
  bytes: Buffer;
  /** Bytes the run printed (after redaction). */
  total: number;
  truncated: boolean;
}

class BoundedStream {
  readonly decoder = new StringDecoder('utf8');
  readonly redactor: StreamRedactor;
  head: Buffer[] = [];
  headBytes = 0;
  /** The tail as a list of chunks; trimmed from the front when it grows past its share. */
  tail: Buffer[] = [];
  tailBytes = 0;
  total = 0;

  readonly headLimit: number;
  readonly tailLimit: number;

  constructor(secrets: ResolvedSecrets<unknown>, headLimit: number, tailLimit: number) {
    this.redactor = new StreamRedactor(secrets);
    this.headLimit = headLimit;
    this.tailLimit = tailLimit;
  }

  add(text: string): void {
    if (!text) return;
    let buf = Buffer.from(text, 'utf8');
    this.total += buf.byteLength;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(buf.byteLength, this.headLimit - this.headBytes);
      this.head.push(buf.subarray(0, take));
      this.headBytes += take;
      buf = buf.subarray(take);
      if (!buf.byteLength) return;
    }
    this.tail.push(Buffer.from(buf)); // a copy: the chunk's memory is not kept alive by a slice
    this.tailBytes += buf.byteLength;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.byteLength >= this.tailLimit) this.tailBytes -= this.tail.shift()!.byteLength;
    if (this.tailBytes > this.tailLimit * 2) {
      const all = Buffer.concat(this.tail);
      this.tail = [Buffer.from(all.subarray(all.byteLength - this.tailLimit))];
      this.tailBytes = this.tailLimit;
    }
  }

  finish(name: string): FinishedLog {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.byteLength > this.tailLimit) tail = tail.subarray(tail.byteLength - this.tailLimit);
    const kept = head.byteLength + tail.byteLength;
    if (kept >= this.total) return { bytes: Buffer.concat([head, tail]), total: this.total, truncated: false };
    const omitted = this.total - kept;
    const marker = `\n\n[… lab: ${omitted} bytes of ${name} omitted here; the run printed ${this.total} bytes, the first ${head.byteLength} and the last ${tail.byteLength} are kept …]\n\n`;
    return { bytes: Buffer.concat([head, Buffer.from(marker, 'utf8'), tail]), total: this.total, truncated: true };
  }
}

/** All log streams of one run. */
export class RunLogs {
  #streams = new Map<string, BoundedStream>();
  #secrets: ResolvedSecrets<unknown>;
  #limit: number;

  constructor(secrets: ResolvedSecrets<unknown>, limit = DEFAULT_LOG_LIMIT) {
    this.#secrets = secrets;
    this.#limit = Math.max(1024, limit);
  }

  /** Adds a chunk; returns the redacted text that may be shown now. */
  write(stream: string, chunk: string | Uint8Array): string {
    const s = this.#stream(stream);
    const text = typeof chunk === 'string' ? chunk : s.decoder.write(Buffer.from(chunk));
    const shown = s.redactor.push(text);
    s.add(shown);
    return shown;
  }

  /** Ends every stream; returns what each still held back (to show) and the stored form of each. */
  finish(): { rest: Map<string, string>; logs: Map<string, FinishedLog> } {
    const rest = new Map<string, string>();
    const logs = new Map<string, FinishedLog>();
    for (const [name, s] of this.#streams) {
      const tail = s.redactor.push(s.decoder.end()) + s.redactor.end();
      s.add(tail);
      if (tail) rest.set(name, tail);
      logs.set(name, s.finish(name));
    }
    return { rest, logs };
  }

  #stream(name: string): BoundedStream {
    let s = this.#streams.get(name);
    if (!s) this.#streams.set(name, (s = new BoundedStream(this.#secrets, Math.floor(this.#limit / 2), Math.ceil(this.#limit / 2))));
    return s;
  }
}

/** `LAB_LOG_LIMIT` (bytes, or with a k/M/G suffix), else the default. */
export function logLimitFromEnv(): number | undefined {
  const raw = process.env.LAB_LOG_LIMIT;
  if (!raw) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?$/.exec(raw.trim());
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}
