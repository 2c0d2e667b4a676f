/**
 * Our journal as an RO-Crate graph (README: "Export and import"): notebook, page and entry as
 * `Dataset`s listed in the root's `hasPart` (nesting kept in each Dataset's own
 * `hasPart`); entry text as Markdown; `keywords` a comma string; rating as an
 * `AggregateRating`; inputs/outputs/metrics/execution as `PropertyValue`s with
 * dotted `propertyID`s; parent/variation_of as `isBasedOn`; each run a
 * `CreateAction` (object = input files, result = the entry and its artifacts,
 * instrument = the runner); artifacts as `File`s with `sha256`, `contentSize`
 * and `encodingFormat`. Pure: the caller supplies file facts.
 */
import { type CrateNode, DESCRIPTOR_ID, OWN_IDENTIFIER_PREFIX, orderKeys, PUBLISHER, RO_CRATE_CONTEXT, RO_CRATE_SPEC, ref } from './crate.ts';

/** A file that goes into the archive. */
export interface CrateFile {
  /** Path inside the crate, relative to its root folder (`nb/page/entry/image.png`). */
  path: string;
  name: string;
  type: string;
  size: number;
  /** Hex sha256. */
  sha256: string;
  description?: string;
  /** For input files: the reference as the entry writes it (`./workflow.json`). */
  alternateName?: string;
}

export interface CrateEntry {
  id: string;
  /** Folder path inside the crate (`nb/page/001-x`). */
  dir: string;
  title: string;
  type: string;
  created: string | null;
  status: string;
  tags: string[];
  rating: number | null;
  notes: string;
  notesFormat: string;
  parent: string | null;
  variation_of: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  metrics: Record<string, unknown>;
  execution: Record<string, unknown> | null;
  artifacts: CrateFile[];
  inputFiles: CrateFile[];
  logs: (CrateFile & { stream: string })[];
}

export interface CratePage {
  id: string;
  dir: string;
  title: string;
  date: string | null;
  status: string;
  tags: string[];
  text: string;
  textFormat: string;
  entries: CrateEntry[];
}

interface CrateNotebook {
  id: string;
  dir: string;
  title: string;
  description: string | null;
  tags: string[];
  pages: CratePage[];
}

export interface CrateInput {
  kind: 'notebook' | 'page' | 'entry';
  /** Id of the exported notebook, page or entry. */
  id: string;
  title: string;
  notebook: CrateNotebook;
  license: string | null;
  version: string;
}

/** `2024-11-27` / `2024-11-27T10:30:00` → an RFC 3339 date-time (UTC assumed when no zone is given). */
function dateTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return undefined;
  const zone = m[5] ? (m[5] === 'Z' ? 'Z' : m[5].includes(':') ? m[5] : `${m[5].slice(0, 3)}:${m[5].slice(3)}`) : 'Z';
  return `${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`;
}

/**
 * Leaves of a nested object as `[dotted key, value]`. Arrays, empty objects and
 * objects with a key that has a dot in it (ComfyUI's `"6.text"`) are leaves, so
 * the dotted path always reads back to the same object.
 */
function flattenValues(value: Record<string, unknown>, prefix: string, out: [string, unknown][] = []): [string, unknown][] {
  if (Object.keys(value).some((k) => k.includes('.'))) {
    out.push([prefix, value]);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    const key = `${prefix}.${k}`;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) flattenValues(v as Record<string, unknown>, key, out);
    else out.push([key, v]);
  }
  return out;
}

function propertyValue(owner: string, key: string, value: unknown): CrateNode {
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return {
    '@id': `#pv/${owner}/${key}`,
    '@type': 'PropertyValue',
    propertyID: key,
    name: key.split('.').pop(),
    value: scalar ? value : JSON.stringify(value ?? null),
    ...(scalar ? {} : { valueReference: 'application/json' }),
  };
}

function fileNode(f: CrateFile): CrateNode {
  return {
    '@id': `./${f.path}`,
    '@type': 'File',
    name: f.name,
    encodingFormat: f.type,
    contentSize: String(f.size),
    sha256: f.sha256,
    ...(f.description ? { description: f.description } : {}),
    ...(f.alternateName ? { alternateName: f.alternateName } : {}),
  };
}

const ACTION_STATUS: Record<string, string> = {
  completed: 'http://schema.org/CompletedActionStatus',
  failed: 'http://schema.org/FailedActionStatus',
  interrupted: 'http://schema.org/FailedActionStatus',
  running: 'http://schema.org/ActiveActionStatus',
};

/** The `ro-crate-metadata.json` object, keys and nodes in a fixed order. */
export function buildCrate(input: CrateInput): { '@context': string; '@graph': CrateNode[] } {
  const nodes: CrateNode[] = [];
  const others = new Map<string, CrateNode>();
  const add = (n: CrateNode) => others.set(n['@id'], n);
  const datasets: string[] = [];
  const nb = input.notebook;
  const entryDatasetId = new Map<string, string>();
  for (const p of nb.pages) for (const e of p.entries) entryDatasetId.set(e.id, `./${e.dir}/`);
  const dates: string[] = [];

  const nbId = `./${nb.dir}/`;
  datasets.push(nbId);
  nodes.push({
    '@id': nbId,
    '@type': 'Dataset',
    name: nb.title,
    identifier: nb.id,
    genre: 'notebook',
    description: nb.description ?? undefined,
    keywords: nb.tags.length ? nb.tags.join(', ') : undefined,
    hasPart: nb.pages.map((p) => ref(`./${p.dir}/`)),
  });
  for (const p of nb.pages) {
    const pageId = `./${p.dir}/`;
    datasets.push(pageId);
    if (p.date) dates.push(dateTime(p.date)!);
    nodes.push({
      '@id': pageId,
      '@type': 'Dataset',
      name: p.title,
      identifier: p.id,
      genre: 'page',
      dateCreated: dateTime(p.date),
      keywords: p.tags.length ? p.tags.join(', ') : undefined,
      creativeWorkStatus: p.status,
      text: p.text || undefined,
      encodingFormat: p.text ? p.textFormat : undefined,
      hasPart: p.entries.map((e) => ref(`./${e.dir}/`)),
    });
    for (const e of p.entries) {
      const id = `./${e.dir}/`;
      datasets.push(id);
      const exec = e.execution ?? {};
      const started = dateTime(exec.started_at as string | undefined);
      const completed = dateTime(exec.completed_at as string | undefined);
      for (const d of [dateTime(e.created), completed]) if (d) dates.push(d);
      const pvs: [string, unknown][] = [['type', e.type]];
      flattenValues(e.inputs, 'inputs', pvs);
      flattenValues(e.outputs, 'outputs', pvs);
      flattenValues(e.metrics, 'metrics', pvs);
      if (e.execution) flattenValues(e.execution, 'execution', pvs);
      if (e.parent) pvs.push(['lineage.parent', e.parent]);
      if (e.variation_of) pvs.push(['lineage.variation_of', e.variation_of]);
      for (const l of e.logs) pvs.push([`logs.${l.stream}`, `sha256:${l.sha256}`]);
      for (const [k, v] of pvs) add(propertyValue(e.id, k, v));
      const basedOn = [...new Set([e.parent, e.variation_of].filter((x): x is string => !!x && entryDatasetId.has(x)))].map((x) => ref(entryDatasetId.get(x)!));
      if (e.rating !== null) add({ '@id': `#rating/${e.id}`, '@type': 'AggregateRating', ratingValue: e.rating, bestRating: 5, worstRating: 1 });
      const files = [...e.artifacts, ...e.inputFiles, ...e.logs];
      for (const f of files) add(fileNode(f));
      nodes.push({
        '@id': id,
        '@type': 'Dataset',
        name: e.title,
        identifier: e.id,
        genre: 'entry',
        dateCreated: dateTime(e.created),
        dateModified: completed,
        keywords: e.tags.length ? e.tags.join(', ') : undefined,
        creativeWorkStatus: e.status,
        text: e.notes || undefined,
        encodingFormat: e.notes ? e.notesFormat : undefined,
        aggregateRating: e.rating !== null ? ref(`#rating/${e.id}`) : undefined,
        isBasedOn: basedOn.length ? basedOn : undefined,
        variableMeasured: pvs.map(([k]) => ref(`#pv/${e.id}/${k}`)),
        hasPart: files.map((f) => ref(`./${f.path}`)),
      });
      if (e.execution) {
        // The instrument is the integration that ran the entry, at the tool version that ran it.
        const runner = (exec.runner as { name?: string; version?: string } | undefined) ?? {};
        const instrument = `#runner/${e.type}${runner.version ? `@${runner.version}` : ''}`;
        add({ '@id': instrument, '@type': 'SoftwareApplication', name: `${e.type} runner (${runner.name ?? 'lab'})`, version: runner.version });
        add({
          '@id': `#run/${e.id}`,
          '@type': 'CreateAction',
          name: `Run of ${e.title}`,
          instrument: ref(instrument),
          object: e.inputFiles.map((f) => ref(`./${f.path}`)),
          result: [ref(id), ...e.artifacts.map((f) => ref(`./${f.path}`))],
          startTime: started,
          endTime: completed,
          actionStatus: ACTION_STATUS[e.status] ? ref(ACTION_STATUS[e.status]!) : undefined,
          error: typeof exec.error === 'string' && exec.error ? exec.error : undefined,
        });
      }
    }
  }
  const published = dates.sort().at(-1) ?? '1970-01-01T00:00:00Z';
  const root: CrateNode = {
    '@id': './',
    '@type': 'Dataset',
    name: input.title,
    identifier: `${OWN_IDENTIFIER_PREFIX}${input.kind}:${input.id}`,
    description: `${input.kind[0]!.toUpperCase()}${input.kind.slice(1)} ${input.id} exported from a Codex lab journal`,
    license: input.license ?? 'No license stated: ask the authors before reuse',
    datePublished: published,
    hasPart: datasets.map(ref),
  };
  const descriptor: CrateNode = {
    '@id': DESCRIPTOR_ID,
    '@type': 'CreativeWork',
    about: ref('./'),
    conformsTo: ref(RO_CRATE_SPEC),
    dateCreated: published,
    sdPublisher: ref(PUBLISHER['@id']),
    version: '1.0',
  };
  add({ ...PUBLISHER, url: PUBLISHER['@id'], version: input.version } as CrateNode);
  const rest = [...others.values()].sort((a, b) => (a['@id'] < b['@id'] ? -1 : a['@id'] > b['@id'] ? 1 : 0));
  return { '@context': RO_CRATE_CONTEXT, '@graph': [descriptor, root, ...nodes, ...rest].map(orderKeys) };
}
