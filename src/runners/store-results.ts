/**
 * Turning what an integration produced into the entry's `artifacts` and
 * `logs`: every file goes into the blob store first (images measured with
 * sharp), and only then is the entry file rewritten.
 */

import { LabError } from '../core/diagnostics.ts';
import { extensionForType, extensionOf, isMeasurableImage, mimeTypeOf } from '../core/mime.ts';
import type { Artifact } from '../core/schema/entry.ts';
import type { BlobStore } from './blobs.ts';
import { assertRelativeInside } from './paths.ts';
import type { FinishedLog } from './run-logs.ts';
import type { ArtifactInput } from './types.ts';

/** Stores artifacts (sorted by name, so the entry's list is deterministic) and returns their records. */
export async function storeArtifacts(blobs: BlobStore, inputs: ArtifactInput[], redact: (s: string) => string): Promise<Artifact[]> {
  const out: Artifact[] = [];
  const sorted = [...inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of sorted) {
    assertRelativeInside(a.name, 'artifact name');
    const type = a.type ?? mimeTypeOf(a.name);
    const ext = extensionOf(a.name) || extensionForType(type);
    let stored;
    if (a.path) stored = await blobs.putFile(a.path, ext);
    else if (a.data !== undefined) {
      // Text artifacts (an HTTP body, rows) may echo a resolved secret: redact before storing.
      let data = typeof a.data === 'string' ? redact(a.data) : a.data;
      if (typeof a.data !== 'string' && isText(type)) {
        const text = Buffer.from(a.data).toString('utf8');
        const clean = redact(text);
        if (clean !== text) data = clean;
      }
      stored = await blobs.putBytes(data, ext);
    } else throw new LabError(`artifact \`${a.name}\` has neither data nor a path`);
    const record: Artifact = { name: a.name, hash: stored.hash, type, size_bytes: stored.size };
    if (isMeasurableImage(type)) Object.assign(record, await imageSize(stored.path));
    out.push(record);
  }
  return out;
}

function isText(type: string): boolean {
  return /^(text\/|application\/(json|xml|x-ndjson|yaml|sql|javascript)|[^;]*\+(json|xml))/i.test(type);
}

/** `{ width, height }` of an image file, or nothing when sharp cannot read it. */
async function imageSize(file: string): Promise<{ width?: number; height?: number }> {
  try {
    const { default: sharp } = await import('sharp');
    const meta = await sharp(file).metadata();
    return meta.width && meta.height ? { width: meta.width, height: meta.height } : {};
  } catch {
    return {};
  }
}

/** Stores each log stream (already redacted and bounded) as a text blob; streams that stayed empty are recorded as null. */
export async function storeLogs(blobs: BlobStore, streams: Map<string, FinishedLog>, declared: string[]): Promise<Record<string, string | null>> {
  const logs: Record<string, string | null> = {};
  const names = [...new Set([...declared, ...[...streams.keys()].sort()])];
  for (const name of names) {
    const log = streams.get(name);
    logs[name] = log?.bytes.byteLength ? (await blobs.putBytes(log.bytes, 'log')).hash : null;
  }
  return logs;
}
