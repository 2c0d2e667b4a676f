/** Writing responses and reading request bodies, with size limits. */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './http-error.ts';

/** Headers on every response: nothing here may be framed, sniffed or cached by a proxy. */
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** Sends JSON text (already serialized) or a value. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.body);
}

export function sendBytes(res: ServerResponse, status: number, data: string | Buffer, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

export { BASE_HEADERS };

/** Reads a JSON request body of at most `limit` bytes (413 beyond, 400 when it is not JSON). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  // A JSON type is what a cross-site HTML form cannot send without a CORS preflight.
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'the request body must be JSON (Content-Type: application/json)');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Streams the body into `file`; 413 as soon as it passes `limit` bytes (checked on Content-Length first). */
export async function readBodyToFile(req: IncomingMessage, file: string, limit: number): Promise<number> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, `the upload is larger than the limit of ${limit} bytes`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) done(new HttpError(413, `the upload is larger than the limit of ${limit} bytes`));
      else done(null, chunk);
    },
  });
  await pipeline(req, counter, createWriteStream(file, { flags: 'wx' }));
  return size;
}
