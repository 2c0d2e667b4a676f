/**
 * `http` (alias `api_call`): one HTTP request through undici. Records status,
 * headers (credentials redacted) and timing; stores the response body as an
 * artifact with its content type. A non-2xx response is a failed run whose
 * outputs are kept.
 */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { extensionForType } from '../../core/mime.ts';
import { parseDuration } from '../duration.ts';
import { placeholdersDefined, substituteParameters } from '../templating.ts';
import { type Integration, RunFailure } from '../types.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Headers whose values are credentials: recorded as `[redacted]`. */
const SENSITIVE_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-amz-security-token)$/i;

/** Inputs of an `http` entry. */
export const httpInputsSchema = z
  .strictObject({
    /** HTTP method (default GET). */
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .refine((m) => (METHODS as readonly string[]).includes(m), { error: `must be one of ${METHODS.join(', ')}` })
      .optional(),
    /** Absolute http(s) URL; may contain `${env:…}` and `{{parameters.…}}`. */
    url: z.string().refine((u) => /^https?:\/\/[^\s/]+/i.test(u), { error: 'must be an absolute http:// or https:// URL' }),
    /** Query-string parameters added to the URL. */
    query: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    /** Request headers. */
    headers: z.record(z.string(), scalar).optional(),
    /** A JSON value (sent as application/json), a string (sent as is), or `./file` (its bytes). */
    body: z.unknown().optional(),
    /** Give up after this long: `30s`, `2m`, or seconds (default 60s). */
    timeout: z.union([z.string(), z.number()]).optional(),
    /** Named values for `{{parameters.name}}` in url, query, headers and body. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((i) => placeholdersDefined([i.url, i.query, i.headers, i.body], i.parameters), {
    error: 'uses a {{parameters.…}} placeholder for a parameter that `parameters` does not define',
  });

export type HttpInputs = z.infer<typeof httpInputsSchema>;

export const http: Integration<HttpInputs> = {
  name: 'http',
  aliases: ['api_call'],
  inputsSchema: httpInputsSchema,
  inputsTemplate: [
    '  method: GET   # GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS',
    '  url: https://api.example.com/v1/items',
    '  # query: { limit: 10 }',
    '  # headers: { authorization: "Bearer ${env:API_TOKEN}" }   # secrets from the environment, never written down',
    '  # body: { name: test }   # JSON, a string, or ./file',
    '  # timeout: 30s',
  ].join('\n'),
  async execute(raw, ctx) {
    const inputs = substituteParameters(raw, raw.parameters ?? {});
    const method = inputs.method ?? 'GET';
    const url = new URL(inputs.url);
    for (const [k, v] of Object.entries(inputs.query ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    const headers: Record<string, string> = Object.fromEntries(Object.entries(inputs.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    let body: string | Uint8Array | undefined;
    if (typeof inputs.body === 'string' && (inputs.body.startsWith('./') || inputs.body.startsWith('../'))) {
      body = await fs.readFile(ctx.resolveInputFile(inputs.body, 'body'));
      headers['content-type'] ??= 'application/octet-stream';
    } else if (typeof inputs.body === 'string') {
      body = inputs.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else if (inputs.body !== undefined) {
      body = JSON.stringify(inputs.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = parseDuration(inputs.timeout ?? 60, 'inputs.timeout');
    const shownUrl = ctx.redact(url.toString());
    ctx.progress({ message: `${method} ${shownUrl}` });

    const { request } = await import('undici');
    const t0 = performance.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    let response;
    try {
      response = await request(url, {
        method: method as 'GET',
        headers,
        body,
        signal: AbortSignal.any([ctx.signal, timeout]),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (e) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (timeout.aborted) throw new RunFailure(`${method} ${shownUrl} timed out after ${inputs.timeout ?? '60s'}`);
      throw new RunFailure(`${method} ${shownUrl} failed: ${describeNetworkError(e)}`);
    }
    const ttfb = performance.now() - t0;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.body.arrayBuffer());
    } catch (e) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw new RunFailure(`${method} ${shownUrl}: the response body could not be read: ${describeNetworkError(e)}`);
    }
    const total = performance.now() - t0;
    const contentType = headerValue(response.headers['content-type']) ?? 'application/octet-stream';
    const outputs: Record<string, unknown> = {
      request: { method, url: shownUrl, headers: recordedHeaders(headers) },
      status_code: response.statusCode,
      content_type: contentType,
      size_bytes: bytes.byteLength,
      timing_ms: { first_byte: round(ttfb), total: round(total) },
      headers: recordedHeaders(response.headers),
    };
    if (/^(text\/|application\/(json|xml|[\w.+-]+\+json))/i.test(contentType) && bytes.byteLength) {
      const text = bytes.toString('utf8');
      outputs.body_preview = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    }
    const artifacts =
      method === 'HEAD' || !bytes.byteLength
        ? []
        : [{ name: `response.${extensionForType(contentType)}`, data: bytes, type: contentType.split(';')[0]!.trim() }];
    const metrics = { response_ms: round(total) };
    if (response.statusCode < 200 || response.statusCode > 299) {
      return { status: 'failed', error: `${method} ${shownUrl} answered HTTP ${response.statusCode}`, outputs, metrics, artifacts };
    }
    return { outputs, metrics, artifacts };
  },
};

function recordedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = SENSITIVE_HEADERS.test(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function describeNetworkError(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was closed by the server';
  return err.message || String(e);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
