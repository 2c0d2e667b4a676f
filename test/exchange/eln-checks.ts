/**
 * The ELN Consortium's checks for an `.eln`, as its test suite runs them: the
 * JSON schema (with date-time formats), the structural checks (one root folder,
 * no `..`, every Dataset and File named, `@id`s unique, `keywords` a string, the
 * descriptor with `version` and `sdPublisher`), and RO-Crate 1.1's root
 * requirements (`name`, `description`, `license`, `datePublished`). Also: each
 * File's bytes match its `sha256` and `contentSize`, and every folder has an
 * explicit directory entry. Returns the problems found (none = valid).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import yauzl from 'yauzl';
import { ELN_FIXTURES } from './helpers.ts';

const schema = JSON.parse(fs.readFileSync(path.join(ELN_FIXTURES, 'consortium-schema.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

/** Every entry's name and bytes. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        out.set(entry.fileName, Buffer.alloc(0));
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream!.on('data', (c: Buffer) => chunks.push(c));
        stream!.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

export async function elnProblems(file: string): Promise<{ problems: string[]; crate: { '@graph': Record<string, unknown>[] } }> {
  const problems: string[] = [];
  const entries = await readZip(file);
  const names = [...entries.keys()];
  const roots = new Set(names.map((n) => n.split('/')[0]));
  if (roots.size !== 1) problems.push(`expected one root folder, found ${[...roots].join(', ')}`);
  const rootDir = [...roots][0];
  for (const n of names) if (n.split('/').includes('..') || n.startsWith('/')) problems.push(`unsafe path ${n}`);
  for (const n of names) {
    const segs = n.replace(/\/$/, '').split('/');
    for (let i = 1; i < segs.length; i++) {
      const dir = `${segs.slice(0, i).join('/')}/`;
      if (!entries.has(dir)) problems.push(`no directory entry for ${dir}`);
    }
  }
  const meta = entries.get(`${rootDir}/ro-crate-metadata.json`);
  if (!meta) return { problems: [...problems, 'no ro-crate-metadata.json in the root folder'], crate: { '@graph': [] } };
  const crate = JSON.parse(meta.toString('utf8'));
  if (!validate(crate)) for (const e of validate.errors ?? []) problems.push(`schema: ${e.instancePath} ${e.message}`);
  const graph = crate['@graph'] as Record<string, unknown>[];
  const ids = graph.map((n) => n['@id'] as string);
  if (new Set(ids).size !== ids.length) problems.push('duplicate @ids');
  const byId = new Map(graph.map((n) => [n['@id'] as string, n]));
  const types = (n: Record<string, unknown>) => ([] as unknown[]).concat(n['@type']).map(String);
  const descriptor = byId.get('ro-crate-metadata.json');
  if (!descriptor) problems.push('no descriptor');
  else {
    if (typeof descriptor.version !== 'string') problems.push('descriptor has no version');
    if (!(descriptor.sdPublisher as { '@id'?: string })?.['@id']) problems.push('descriptor has no sdPublisher');
    if ((descriptor.conformsTo as { '@id'?: string })?.['@id'] !== 'https://w3id.org/ro/crate/1.1')
      problems.push('descriptor does not conform to RO-Crate 1.1');
  }
  const root = byId.get('./');
  if (!root) problems.push('no root dataset');
  else for (const k of ['name', 'description', 'license', 'datePublished']) if (!root[k]) problems.push(`root has no ${k}`);
  for (const n of graph) {
    const t = types(n);
    if ((t.includes('Dataset') || t.includes('File')) && n['@id'] !== './' && typeof n.name !== 'string') problems.push(`${n['@id']} has no name`);
    if ('keywords' in n && typeof n.keywords !== 'string') problems.push(`${n['@id']} keywords is not a string`);
    if (t.includes('File')) {
      const bytes = entries.get(`${rootDir}/${String(n['@id']).replace(/^\.\//, '')}`);
      if (!bytes) problems.push(`${n['@id']} is not in the archive`);
      else {
        if (n.sha256 !== createHash('sha256').update(bytes).digest('hex')) problems.push(`${n['@id']} sha256 does not match`);
        if (n.contentSize !== String(bytes.length)) problems.push(`${n['@id']} contentSize does not match`);
      }
      if (typeof n.encodingFormat !== 'string') problems.push(`${n['@id']} has no encodingFormat`);
    }
    for (const v of Object.values(n)) {
      for (const r of ([] as unknown[]).concat(v)) {
        const id = r && typeof r === 'object' ? (r as { '@id'?: string })['@id'] : undefined;
        if (id && (id.startsWith('./') || id.startsWith('#')) && !byId.has(id)) problems.push(`${n['@id']} refers to ${id}, which is not in the graph`);
      }
    }
  }
  const rootParts = new Set(((root?.hasPart ?? []) as { '@id': string }[]).map((r) => r['@id']));
  for (const n of graph)
    if (types(n).includes('Dataset') && n['@id'] !== './' && !rootParts.has(n['@id'] as string)) problems.push(`${n['@id']} is not in the root's hasPart`);
  return { problems, crate };
}
