/**
 * Writes the OpenAPI document `lab serve` serves at /api/openapi.json to a file (default
 * .lab/openapi.json), for `npm run lint:openapi` (Redocly) and for API clients' generators.
 *   node scripts/openapi.ts [out-file]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../src/serve/openapi.ts';

const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', '.lab', 'openapi.json'));
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(openApiDocument(), null, 2) + '\n');
console.log(out);
