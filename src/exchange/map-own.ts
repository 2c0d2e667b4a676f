/**
 * A crate this tool exported → an import plan that gives back the same journal:
 * ids, folders and slugs from the crate, inputs/outputs/metrics/execution and
 * lineage from the dotted `PropertyValue`s, files sorted by their folder in the
 * crate (`inputs/`, `logs/`, else artifacts).
 */
import { setPath } from '../core/authoring.ts';
import { type CrateNode, hasType, refIds, text } from './crate.ts';
import { keywordsOf, ratingOf } from './crate-values.ts';
import type { Crate } from './eln-read.ts';
import type { ImportPlan, PlannedEntry, PlannedFile, PlannedPage } from './import-plan.ts';

const lastSegment = (id: string) => id.replace(/\/$/, '').split('/').pop() ?? id;

export function isOwnCrate(crate: Crate): boolean {
  return (text(crate.root.identifier) ?? '').startsWith('codex-lab-journal:');
}

export function mapOwnCrate(crate: Crate): ImportPlan {
  const { byId, root } = crate;
  const skipped: ImportPlan['skipped'] = [];
  const datasets = refIds(root.hasPart)
    .map((id) => byId.get(id))
    .filter((n): n is CrateNode => hasType(n, 'Dataset'));
  const nbNode = datasets.find((d) => text(d.genre) === 'notebook');
  if (!nbNode) throw new Error('our crate has no notebook dataset');
  const pages: PlannedPage[] = [];
  for (const pageId of refIds(nbNode.hasPart)) {
    const p = byId.get(pageId);
    if (!p || text(p.genre) !== 'page') continue;
    const tags = keywordsOf(p.keywords);
    const page: PlannedPage = {
      id: text(p.identifier)!,
      folder: lastSegment(pageId),
      body: text(p.text) ?? '',
      entries: [],
      fields: {
        title: text(p.name),
        id: text(p.identifier),
        ...(text(p.dateCreated) ? { date: text(p.dateCreated)!.slice(0, 10) } : {}),
        ...(tags.length ? { tags } : {}),
        status: text(p.creativeWorkStatus) ?? 'active',
      },
    };
    for (const entryId of refIds(p.hasPart)) {
      const e = byId.get(entryId);
      if (e && text(e.genre) === 'entry') page.entries.push(entryOf(e, crate, skipped));
    }
    pages.push(page);
  }
  const tags = keywordsOf(nbNode.keywords);
  return {
    crate: text(root.identifier)!,
    publisher: 'Codex lab journal',
    skipped,
    pages,
    notebook: {
      id: text(nbNode.identifier)!,
      folder: lastSegment(nbNode['@id']),
      body: '',
      fields: {
        title: text(nbNode.name),
        id: text(nbNode.identifier),
        ...(text(nbNode.description) ? { description: text(nbNode.description) } : {}),
        ...(tags.length ? { tags } : {}),
      },
    },
  };
}

function entryOf(e: CrateNode, crate: Crate, skipped: ImportPlan['skipped']): PlannedEntry {
  const values: Record<string, Record<string, unknown>> & Record<'inputs' | 'outputs' | 'metrics' | 'execution', Record<string, unknown>> = {
    inputs: {},
    outputs: {},
    metrics: {},
    execution: {},
  };
  const lineage: Record<string, string> = {};
  const logs = new Map<string, string>();
  let type = 'manual';
  for (const id of refIds(e.variableMeasured)) {
    const pv = crate.byId.get(id);
    const key = text(pv?.propertyID);
    if (!pv || !key) continue;
    let value: unknown = pv.value;
    if (text(pv.valueReference) === 'application/json' && typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        /* keep the text */
      }
    }
    const [head, ...rest] = key.split('.');
    if (key === 'type') type = String(value);
    else if (head! in values && rest.length) setPath(values[head!]!, rest, value);
    else if (head! in values && value && typeof value === 'object') Object.assign(values[head!]!, value);
    else if (head === 'lineage' && rest.length === 1) lineage[rest[0]!] = String(value);
    else if (head === 'logs' && rest.length === 1) logs.set(String(value).replace(/^sha256:/, ''), rest[0]!);
  }
  const files: PlannedFile[] = [];
  for (const id of refIds(e.hasPart)) {
    const f = crate.byId.get(id);
    const item = crate.item(id);
    if (!f || !item) {
      skipped.push({ what: id, reason: 'file not in the archive' });
      continue;
    }
    const sha = text(f.sha256);
    const rel = id.slice(e['@id'].length);
    const role = rel.startsWith('inputs/') ? 'input' : rel.startsWith('logs/') && sha && logs.has(sha) ? 'log' : 'artifact';
    files.push({
      item,
      name: text(f.name) ?? lastSegment(id),
      type: text(f.encodingFormat) ?? 'application/octet-stream',
      sha256: sha,
      role,
      ...(role === 'log' ? { stream: logs.get(sha!) } : {}),
      ...(role === 'input' ? { ref: text(f.alternateName) ?? `./${text(f.name)}` } : {}),
    });
  }
  const tags = keywordsOf(e.keywords);
  const rating = ratingOf(e.aggregateRating, crate.byId);
  const fields: Record<string, unknown> = {
    id: text(e.identifier),
    title: text(e.name),
    type,
    ...(text(e.dateCreated) ? { created: text(e.dateCreated) } : {}),
    ...(tags.length ? { tags } : {}),
    ...(lineage.parent ? { parent: lineage.parent } : {}),
    ...(lineage.variation_of ? { variation_of: lineage.variation_of } : {}),
    ...(rating !== null ? { rating } : {}),
    ...(Object.keys(values.inputs).length ? { inputs: values.inputs } : {}),
    status: text(e.creativeWorkStatus) ?? 'created',
    ...(Object.keys(values.execution).length ? { execution: values.execution } : {}),
    ...(Object.keys(values.outputs).length ? { outputs: values.outputs } : {}),
    ...(Object.keys(values.metrics).length ? { metrics: values.metrics } : {}),
  };
  return { id: text(e.identifier)!, slug: lastSegment(e['@id']), fields, notes: text(e.text) ?? '', files };
}
