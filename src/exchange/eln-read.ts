/**
 * Opening an `.eln`: find the one `ro-crate-metadata.json` (in the root folder,
 * or — leniently — at the top), parse its graph, and map each `@id` to its zip
 * entry. Real exports differ from their `@id`s: eLabFTW writes `//` in zip paths,
 * others percent-encode names in `@id`s or not; all of those resolve.
 */
import { LabError } from '../core/diagnostics.ts';
import { type CrateNode, DESCRIPTOR_ID, refIds } from './crate.ts';
import { normalizeName, type ZipItem, ZipReader } from './zip-reader.ts';

export interface Crate {
  zip: ZipReader;
  /** The folder holding the metadata file ('' when at the top). */
  base: string;
  graph: CrateNode[];
  byId: Map<string, CrateNode>;
  descriptor: CrateNode;
  root: CrateNode;
  /** The zip entry for a data entity's `@id`, if the archive has it. */
  item(id: string): ZipItem | undefined;
}

export async function openCrate(file: string): Promise<Crate> {
  const zip = await ZipReader.open(file);
  try {
    const candidates = zip.items.filter((i) => !i.directory && (i.name === DESCRIPTOR_ID || i.name.endsWith(`/${DESCRIPTOR_ID}`)));
    const meta = candidates.sort((a, b) => a.name.split('/').length - b.name.split('/').length)[0];
    if (!meta) throw new LabError(`${file}: no ro-crate-metadata.json inside: not an .eln (RO-Crate) archive`);
    const base = meta.name.slice(0, -DESCRIPTOR_ID.length).replace(/\/$/, '');
    let json: { '@graph'?: unknown };
    try {
      json = JSON.parse((await zip.buffer(meta)).toString('utf8').replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new LabError(`${file}: ${meta.name} is not valid JSON (${(e as Error).message})`);
    }
    const graph = (Array.isArray(json['@graph']) ? json['@graph'] : []).filter(
      (n): n is CrateNode => !!n && typeof n === 'object' && typeof (n as CrateNode)['@id'] === 'string',
    );
    const byId = new Map<string, CrateNode>();
    for (const n of graph) if (!byId.has(n['@id'])) byId.set(n['@id'], n);
    const descriptor = byId.get(DESCRIPTOR_ID) ?? byId.get(`./${DESCRIPTOR_ID}`) ?? graph.find((n) => n['@id'].endsWith(DESCRIPTOR_ID));
    if (!descriptor) throw new LabError(`${file}: the crate has no metadata descriptor (a node with @id "${DESCRIPTOR_ID}")`);
    const rootId = refIds(descriptor.about)[0] ?? './';
    const root = byId.get(rootId) ?? byId.get('./');
    if (!root) throw new LabError(`${file}: the crate's root dataset (${rootId}) is not in its graph`);
    const item = (id: string) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(id) || id.startsWith('#')) return undefined; // URLs and local identifiers are not files
      for (const candidate of [id, safeDecode(id)]) {
        const hit = zip.get(base ? `${base}/${normalizeName(candidate)}` : normalizeName(candidate));
        if (hit) return hit;
      }
      return undefined;
    };
    return { zip, base, graph, byId, descriptor, root, item };
  } catch (e) {
    zip.close();
    throw e;
  }
}

function safeDecode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
