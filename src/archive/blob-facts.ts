/**
 * One streamed pass over a blob: its sha256 (is it what its name says?), its git
 * blob id (does HEAD hold these exact bytes?) and about how much git stores for it
 * (zlib at git's default level) — without holding a large file in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import zlib from 'node:zlib';

export interface BlobFacts {
  size: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
  /** The id git gives these bytes as a blob. */
  gitOid: string;
  /** Deflated size: what a pack holds, about. */
  packed: number;
}

export async function blobFacts(file: string): Promise<BlobFacts> {
  const { size } = await fs.stat(file);
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1').update(`blob ${size}\0`);
  const deflate = zlib.createDeflate({ level: 6 });
  let packed = 0;
  deflate.on('data', (c: Buffer) => (packed += c.byteLength));
  const flushed = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  for await (const chunk of createReadStream(file)) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
    if (!deflate.write(chunk)) await new Promise<void>((r) => deflate.once('drain', () => r()));
  }
  deflate.end();
  await flushed;
  return { size, sha256: sha256.digest('hex'), gitOid: sha1.digest('hex'), packed };
}
