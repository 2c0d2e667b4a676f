/**
 * Holds responses to the OpenAPI document the server serves: the status must be one the operation
 * documents, and a JSON body must match the documented schema (Ajv, JSON Schema 2020-12).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>> };

export class Contract {
  readonly doc: Doc;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();

  constructor(doc: unknown) {
    this.doc = doc as Doc;
    this.#ajv.addSchema(doc as object, 'openapi');
  }

  operation(id: string): { path: string; method: string } {
    for (const [p, methods] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(methods)) if (op.operationId === id) return { path: p, method };
    }
    throw new Error(`no operation ${id} in the document`);
  }

  /** Checks a response against operation `id`; returns its parsed body. */
  async check(id: string, res: Response): Promise<any> {
    const { path: p, method } = this.operation(id);
    const statuses = this.doc.paths[p]![method]!.responses;
    expect(Object.keys(statuses), `${id}: status ${res.status} is not documented`).toContain(String(res.status));
    (this.seen.get(id) ?? this.seen.set(id, new Set()).get(id)!).add(res.status);
    const text = await res.text();
    const documented = statuses[String(res.status)]!.content;
    if (!documented?.['application/json']) return text;
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    const pointer = `openapi#/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${res.status}/content/application~1json/schema`;
    const validate = this.#ajv.getSchema(pointer) ?? this.#ajv.compile({ $ref: pointer });
    const ok = validate(body);
    expect(ok, `${id} ${res.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    return body;
  }

  /** Every operation of the document. */
  get operationIds(): string[] {
    return Object.values(this.doc.paths).flatMap((m) => Object.values(m).map((op) => op.operationId));
  }
}
