/**
 * Another ELN's crate → an import plan. Each Dataset listed in the root's
 * `hasPart` becomes a page when it holds Datasets (its descendants become its
 * entries) and an entry otherwise (loose entries share one page named after the
 * crate). Runs described as `CreateAction`s whose results are files become
 * entries of their own, with the run that made their input as `parent` — the
 * lineage BenchLineage records. Ids are derived from the crate's identity and
 * each node's `identifier`/`@id`, so a second import finds them.
 */
import { createHash } from 'node:crypto';
import { mimeTypeOf } from '../core/mime.ts';
import { slugify } from '../core/schema/common.ts';
import { type CrateNode, hasType, list, refIds, text } from './crate.ts';
import { bodyOf, commentsOf, stepsOf } from './crate-text.ts';
import { dateOf, keywordsOf, nameOf, propertiesOf, ratingOf } from './crate-values.ts';
import type { Crate } from './eln-read.ts';
import type { ImportPlan, PlannedEntry, PlannedFile, PlannedPage } from './import-plan.ts';

export function mapForeignCrate(crate: Crate, fallbackName: string): ImportPlan {
  const { byId, root } = crate;
  const crateName = text(root.name)?.trim() || fallbackName;
  const crateKey = text(root.identifier) ?? crateName;
  const short = (s: string) => createHash('sha256').update(`${crateKey}\0${s}`).digest('hex').slice(0, 12);
  const publisher = nameOf(refIds(crate.descriptor.sdPublisher)[0], byId) ?? refIds(crate.descriptor.sdPublisher)[0] ?? text(crate.descriptor.sdPublisher);
  const skipped: ImportPlan['skipped'] = [];
  const isDataset = (id: string) => id !== root['@id'] && hasType(byId.get(id), 'Dataset');
  const isFile = (id: string) => hasType(byId.get(id), 'File') || (!byId.has(id) && !!crate.item(id));
  const keyOf = (n: CrateNode) => text(n.identifier) ?? n['@id'];

  // Which Dataset holds which: a Dataset listed by another is part of it, not a page or loose entry of its own.
  const parentOf = new Map<string, string>();
  for (const n of crate.graph) {
    if (!isDataset(n['@id'])) continue;
    for (const c of refIds(n.hasPart)) if (isDataset(c) && c !== n['@id'] && !parentOf.has(c)) parentOf.set(c, n['@id']);
  }
  const rootParts = refIds(root.hasPart);
  let tops = rootParts.filter((id) => isDataset(id) && !parentOf.has(id));
  if (!tops.length) {
    // Against the spec, some crates list nothing in the root: take every Dataset no other one holds.
    tops = crate.graph.map((n) => n['@id']).filter((id) => isDataset(id) && !parentOf.has(id));
    if (tops.length)
      skipped.push({ what: root['@id'], reason: `the root lists no Dataset in hasPart; imported the ${tops.length} top-level Dataset(s) found in the graph` });
  }
  for (const id of rootParts) if (!byId.has(id) && !crate.item(id)) skipped.push({ what: id, reason: 'listed in the root but not described in the crate' });

  const pages: PlannedPage[] = [];
  const entryOfNode = new Map<string, PlannedEntry>();
  const pageOfEntry = new Map<PlannedEntry, PlannedPage>();
  let loosePage: PlannedPage | null = null;
  const loose = () => {
    if (!loosePage) {
      loosePage = {
        id: `page-${short('#loose')}`,
        folder: slugify(crateName),
        fields: { title: crateName, id: `page-${short('#loose')}`, imported: { crate: crateKey } },
        body: '',
        entries: [],
      };
      pages.push(loosePage);
    }
    return loosePage;
  };
  const filesOf = (n: CrateNode): PlannedFile[] =>
    refIds(n.hasPart)
      .filter(isFile)
      .flatMap((id) => {
        const f = byId.get(id);
        const item = crate.item(id);
        if (!item) {
          skipped.push({ what: id, reason: 'file not in the archive' });
          return [];
        }
        const name = text(f?.name) ?? item.name.split('/').pop()!;
        const sha = text(f?.sha256)?.toLowerCase() ?? null;
        const stated = text(f?.encodingFormat);
        const type = stated && stated !== 'application/octet-stream' ? stated : mimeTypeOf(name);
        return [{ item, name, type, sha256: sha && /^[0-9a-f]{64}$/.test(sha) ? sha : null, role: 'artifact' as const }];
      });
  const entryOf = (n: CrateNode, page: PlannedPage, titlePrefix = ''): PlannedEntry => {
    const title = `${titlePrefix}${text(n.name) ?? text(n.identifier) ?? n['@id']}`.trim() || n['@id'];
    const id = `entry-${short(keyOf(n))}`;
    const e: PlannedEntry = { id, slug: slugify(title), fields: { id, title, type: 'manual' }, notes: '', files: filesOf(n) };
    entryOfNode.set(n['@id'], e);
    pageOfEntry.set(e, page);
    page.entries.push(e);
    return e;
  };

  for (const topId of tops) {
    const top = byId.get(topId)!;
    const children = refIds(top.hasPart).filter(isDataset);
    if (!children.length) {
      entryOf(top, loose());
      continue;
    }
    const pageTitle = text(top.name) ?? text(top.identifier) ?? topId;
    const page: PlannedPage = { id: `page-${short(keyOf(top))}`, folder: slugify(pageTitle), fields: {}, body: bodyOf(top, crate), entries: [] };
    page.fields = {
      title: pageTitle,
      id: page.id,
      ...pageDate(top),
      ...(keywordsOf(top.keywords).length ? { tags: keywordsOf(top.keywords) } : {}),
      imported: importedOf(top, crateKey),
    };
    pages.push(page);
    if (refIds(top.hasPart).some(isFile)) {
      const files = entryOf(top, page);
      files.fields.title = `${pageTitle} (files)`;
      files.slug = slugify(`${pageTitle} files`);
    }
    const walk = (ids: string[], prefix: string, seen: Set<string>) => {
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const n = byId.get(id)!;
        entryOf(n, page, prefix);
        walk(refIds(n.hasPart).filter(isDataset), `${prefix}${text(n.name) ?? id} › `, seen);
      }
    };
    walk(children, '', new Set([topId]));
  }
  // Files listed in the root but in no Dataset: one entry for them.
  const looseFiles = rootParts.filter((id) => isFile(id) && ![...crate.graph].some((n) => isDataset(n['@id']) && refIds(n.hasPart).includes(id)));
  if (looseFiles.length) {
    const holder: CrateNode = { '@id': '#root-files', name: `${crateName} (files)`, hasPart: looseFiles.map((id) => ({ '@id': id })) };
    entryOf(holder, loose());
  }

  // Runs whose results are files: entries of their own, lineage through the files they used.
  const runOfFile = new Map<string, PlannedEntry>();
  const actions = crate.graph.filter((n) => hasType(n, 'CreateAction') && !refIds(n.object).includes(root['@id']));
  for (const a of actions) {
    const results = refIds(a.result);
    const owner = [...entryOfNode.values()].find((e) => e.files.some((f) => results.some((r) => crate.item(r) === f.item)));
    if (!owner) {
      for (const r of results) {
        const target = entryOfNode.get(r);
        if (target) Object.assign(target.fields, executionOf(a));
      }
      continue;
    }
    const page = pageOfEntry.get(owner)!;
    const run = entryOf({ ...a, hasPart: results.map((r) => ({ '@id': r })) } as CrateNode, page);
    owner.files = owner.files.filter((f) => !run.files.some((g) => g.item === f.item));
    Object.assign(run.fields, executionOf(a));
    for (const r of results) runOfFile.set(r, run);
  }
  for (const a of actions) {
    const run = entryOfNode.get(a['@id']);
    if (!run) continue;
    const from = refIds(a.object)
      .map((o) => runOfFile.get(o) ?? entryOfNode.get(o))
      .find((e) => e && e !== run);
    if (from) run.fields.parent = from.id;
    const used = [...refIds(a.object), ...refIds(a.instrument)].map((id) => text(byId.get(id)?.name) ?? id);
    if (used.length) run.fields.inputs = { used };
    run.notes = [text(a.description), run.notes].filter(Boolean).join('\n\n');
  }

  // Fields, text and links of every Dataset entry (runs got theirs above).
  for (const [nodeId, e] of entryOfNode) {
    const n = byId.get(nodeId);
    if (!n || hasType(n, 'CreateAction')) continue;
    const created = dateOf(n.dateCreated ?? n.datePublished ?? n.temporal);
    if (created && 'iso' in created) e.fields.created = created.iso;
    const tags = keywordsOf(n.keywords);
    if (tags.length) e.fields.tags = tags;
    const rating = ratingOf(n.aggregateRating ?? n.contentRating, byId);
    if (rating !== null) e.fields.rating = rating;
    const basedOn = refIds(n.isBasedOn)
      .map((id) => entryOfNode.get(id))
      .find((x) => x && x !== e && pageOfEntry.get(x) === pageOfEntry.get(e));
    if (basedOn) e.fields.parent = basedOn.id;
    const { values: outputs, documents } = propertiesOf(n, byId);
    if (Object.keys(outputs).length) e.fields.outputs = outputs;
    e.fields.status = 'completed';
    e.fields.imported = {
      ...importedOf(n, crateKey),
      ...(created && 'verbatim' in created ? { date_created: created.verbatim } : {}),
      ...(Object.keys(documents).length ? { properties: documents } : {}),
    };
    const related = refIds(n.mentions)
      .map((id) => entryOfNode.get(id)?.id ?? pages.find((p) => p.id === `page-${short(keyOf(byId.get(id) ?? { '@id': id }))}`)?.id)
      .filter(Boolean);
    e.notes = [bodyOf(n, crate), stepsOf(n, byId), commentsOf(n, crate), related.length ? `Related: ${related.join(', ')}` : ''].filter(Boolean).join('\n\n');
  }
  for (const e of entryOfNode.values()) if (!e.fields.status) e.fields.status = 'completed';

  const nbSlug = slugify(crateName);
  return {
    crate: crateKey,
    publisher: publisher ?? null,
    skipped,
    notebook: {
      id: `nb-${nbSlug}`,
      folder: nbSlug,
      fields: {
        title: crateName,
        id: `nb-${nbSlug}`,
        ...(text(root.description) ? { description: text(root.description) } : {}),
        imported: { crate: crateKey, ...(publisher ? { from: publisher } : {}) },
      },
      body: '',
    },
    pages,
  };
}

function pageDate(n: CrateNode): { date?: string } {
  const d = dateOf(n.dateCreated ?? n.temporal);
  return d && 'iso' in d ? { date: d.iso.slice(0, 10) } : {};
}

/** Where a node came from, and values it has that have no place in an entry. */
function importedOf(n: CrateNode, crateKey: string): Record<string, unknown> {
  const out: Record<string, unknown> = { crate: crateKey, id: n['@id'] };
  for (const key of ['identifier', 'url', 'genre', 'creativeWorkStatus', 'dateModified'] as const) {
    const v = text(n[key]);
    if (v) out[key === 'creativeWorkStatus' ? 'status' : key === 'dateModified' ? 'date_modified' : key] = v;
  }
  const types = list(n['@type'])
    .map(String)
    .filter((t) => t !== 'Dataset');
  if (types.length) out.types = types;
  return out;
}

function executionOf(a: CrateNode): Record<string, unknown> {
  const start = dateOf(a.startTime);
  const end = dateOf(a.endTime);
  const execution: Record<string, unknown> = {};
  if (start && 'iso' in start) execution.started_at = start.iso;
  if (end && 'iso' in end) execution.completed_at = end.iso;
  const out: Record<string, unknown> = {};
  if (Object.keys(execution).length) out.execution = execution;
  if (!('created' in out) && (execution.started_at || execution.completed_at)) out.created = execution.started_at ?? execution.completed_at;
  return out;
}
