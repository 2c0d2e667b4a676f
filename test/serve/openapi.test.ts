/**
 * The OpenAPI document passes Redocly's recommended rules (what `npm run lint:openapi` runs in CI),
 * and every route the server answers is in it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { executeRoutes } from '../../src/serve/api-execute.ts';
import { fileRoutes } from '../../src/serve/api-files.ts';
import { readRoutes } from '../../src/serve/api-read.ts';
import { writeRoutes } from '../../src/serve/api-write.ts';
import { openApiDocument } from '../../src/serve/openapi.ts';

const repoDir = path.resolve(import.meta.dirname, '..', '..');

test('Redocly lints the document with no problem', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
    const out = execFileSync(
      process.execPath,
      [
        path.join(repoDir, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
        'lint',
        file,
        '--format',
        'json',
        '--config',
        path.join(repoDir, 'redocly.yaml'),
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    const report = JSON.parse(out.slice(out.indexOf('{')));
    expect(report.problems).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('every route is documented, and every documented path is a route', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
    .filter((r) => r !== 'GET /api/openapi.json');
  const served = [...readRoutes, ...writeRoutes, ...fileRoutes, ...executeRoutes].map((r) => `${r.method} ${r.path}`);
  expect(served.sort()).toEqual(documented.sort());
  expect(JSON.parse(readFileSync(path.join(repoDir, 'package.json'), 'utf8')).scripts['lint:openapi']).toMatch(/redocly lint/);
});
