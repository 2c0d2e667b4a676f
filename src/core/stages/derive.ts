/**
 * Stage 5 — derive: what follows from the linked records — the lineage graph and
 * its cycles, the tag index, stale flags, missing input files and blobs, counts.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { inputsHashOf, resolveReference } from '../inputs.ts';
import type { JournalIndex, LineageGraph, Notebook, Page } from '../model.ts';
import { tagVariants } from '../tag-variants.ts';
import type { Linked, LinkedEntry } from './link.ts';

export interface DeriveContext {
  /** Every workspace-relative file path that exists. */
  files: ReadonlySet<string>;
  /** Blob hex digests present in content/blobs/. */
  blobs: ReadonlySet<string>;
  /** sha256 of a workspace file's bytes, or null if it does not exist. */
  fileHash(relPath: string): string | null;
  /** Computes the inputs hash of an entry with input files; the compiler memoizes it across rebuilds. */
  inputsHash?(entry: LinkedEntry, inputsJson: string, fileHashes: Record<string, string | null>): string;
}

/** The derived journal: everything but the entries' own fields. */
export interface Derived {
  notebooks: Notebook[];
  pages: Page[];
  entries: LinkedEntry[];
  tags: JournalIndex['tags'];
  lineage: LineageGraph;
  diagnostics: Diagnostic[];
}

export function derive(linked: Linked, ctx: DeriveContext): Derived {
  const diagnostics: Diagnostic[] = [];
  const { notebooks, pages, entries } = linked;
  const at = (e: LinkedEntry, key: string) => {
    const p = e.record.at[key];
    return p ? { line: p[0], column: p[1] } : { line: e.record.line, column: 1 };
  };
  const inputsHash = ctx.inputsHash ?? ((_e, inputsJson, files) => inputsHashOf(inputsJson, files));

  for (const e of entries) {
    const { facts, record } = e;
    const fileHashes: Record<string, string | null> = {};
    for (const { key, ref } of facts.input_refs) {
      const rel = resolveReference(record.path, ref);
      if (rel.startsWith('../') || rel === '..') {
        diagnostics.push(diagnostic(record.path, at(e, `inputs.${key}`), 'error', 'input-outside', `input \`${ref}\` points outside the workspace`));
        fileHashes[ref] = null;
        continue;
      }
      const exists = ctx.files.has(rel);
      if (!exists) {
        diagnostics.push(diagnostic(record.path, at(e, `inputs.${key}`), 'error', 'missing-input', `input file \`${ref}\` does not exist (looked for ${rel})`));
      }
      fileHashes[ref] = exists ? ctx.fileHash(rel) : null;
    }
    facts.artifacts.forEach(([name, hash, dropped], i) => {
      // An artifact archived with `drop` keeps its record on purpose; its bytes live in git history.
      if (!dropped && !ctx.blobs.has(hash.slice(7))) {
        diagnostics.push(
          diagnostic(
            record.path,
            at(e, `artifacts.${i}.hash`),
            'error',
            'missing-blob',
            `artifact \`${name}\` is missing from the blob store (${hash.slice(0, 19)}…)`,
          ),
        );
      }
    });
    for (const [stream, hash] of facts.log_hashes) {
      if (hash && !ctx.blobs.has(hash.slice(7))) {
        diagnostics.push(diagnostic(record.path, at(e, `logs.${stream}`), 'error', 'missing-blob', `log \`${stream}\` is missing from the blob store`));
      }
    }
    const check = facts.stale_check;
    if (check && ('stale' in check ? check.stale : check.recorded !== inputsHash(e, check.inputs_json, fileHashes))) {
      e.stale = true;
      diagnostics.push(
        diagnostic(
          record.path,
          at(e, 'inputs'),
          'warning',
          'stale',
          'entry is stale: its inputs changed since it ran (re-run with `lab run --force`, or try the change with `lab variation`)',
        ),
      );
    }
  }

  diagnostics.push(...findCycles(entries, at));

  const tags: JournalIndex['tags'] = {};
  const tag = (t: string) => (tags[t] ??= { notebooks: [], pages: [], entries: [] });
  for (const n of notebooks) for (const t of n.tags) tag(t).notebooks.push(n.id);
  for (const p of pages) for (const t of p.tags) tag(t).pages.push(p.id);
  for (const e of entries) for (const t of e.facts.tags) tag(t).entries.push(e.id);
  diagnostics.push(...tagVariantWarnings(tags, notebooks, pages, entries, at));

  const pageById = new Map(pages.map((p) => [p.id, p]));
  for (const n of notebooks) {
    const nbPages = n.page_ids.map((id) => pageById.get(id)!);
    n.stats = { pages: nbPages.length, entries: nbPages.reduce((s, p) => s + p.entry_ids.length, 0) };
  }
  const activity = new Map<string, string>();
  const bump = (nb: string, when: string | null | undefined) => {
    if (when && (!activity.has(nb) || activity.get(nb)! < when)) activity.set(nb, when);
  };
  for (const p of pages) bump(p.notebook_id, p.date);
  for (const e of entries) {
    bump(e.notebook_id, e.facts.created);
    bump(e.notebook_id, e.facts.completed_at);
  }
  for (const n of notebooks) n.last_activity = activity.get(n.id) ?? null;

  const lineage: LineageGraph = {
    nodes: entries.map((e) => ({ id: e.id, title: e.facts.title, page_id: e.page_id, notebook_id: e.notebook_id, type: e.type, status: e.facts.status })),
    edges: [],
  };
  for (const e of entries) {
    if (e.lineage.parent_id) lineage.edges.push({ from: e.lineage.parent_id, to: e.id, kind: 'derives_from' });
    if (e.lineage.variation_of) lineage.edges.push({ from: e.lineage.variation_of, to: e.id, kind: 'variation_of' });
  }
  const ids = new Set(entries.map((e) => e.id));
  lineage.edges = lineage.edges.filter((edge) => ids.has(edge.from));
  lineage.nodes.sort((a, b) => cmp(a.id, b.id));
  lineage.edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind));

  return { notebooks, pages, entries, tags: sortRecord(tags), lineage, diagnostics };
}

/** Every entry on a `parent`/`variation_of` cycle gets an error at the key that closes it. */
function findCycles(entries: LinkedEntry[], at: (e: LinkedEntry, key: string) => { line: number; column: number }): Diagnostic[] {
  // Iterative DFS over indices: each entry has at most two outgoing edges.
  const index = new Map(entries.map((e, i) => [e.id, i]));
  const edges = entries.map((e) =>
    [e.lineage.parent_id, e.lineage.variation_of].map((id) => (id ? index.get(id) : undefined)).filter((x): x is number => x !== undefined),
  );
  const state = new Uint8Array(entries.length); // 0 new, 1 on the stack, 2 done
  const onCycle = new Set<number>();
  const stack: number[] = [];
  const cursor: number[] = [];
  for (let start = 0; start < entries.length; start++) {
    if (state[start]) continue;
    stack.push(start);
    cursor.push(0);
    state[start] = 1;
    while (stack.length) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const next = edges[node]![cursor[top]!++];
      if (next === undefined) {
        state[node] = 2;
        stack.pop();
        cursor.pop();
      } else if (state[next] === 1) {
        for (let k = stack.lastIndexOf(next); k < stack.length; k++) onCycle.add(stack[k]!);
      } else if (state[next] === 0) {
        state[next] = 1;
        stack.push(next);
        cursor.push(0);
      }
    }
  }
  const ids = new Set([...onCycle].map((i) => entries[i]!.id));
  return [...ids].sort().map((id) => {
    const e = entries[index.get(id)!]!;
    const key = e.lineage.parent_id && ids.has(e.lineage.parent_id) ? 'parent' : 'variation_of';
    return diagnostic(e.record.path, at(e, key), 'error', 'lineage-cycle', `lineage cycle: \`${key}\` leads back to this entry (${id})`);
  });
}

function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => cmp(a, b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One warning per tag spelled differently from its most used form, at its first use. */
function tagVariantWarnings(
  tags: JournalIndex['tags'],
  notebooks: Notebook[],
  pages: Page[],
  entries: LinkedEntry[],
  at: (e: LinkedEntry, key: string) => { line: number; column: number },
): Diagnostic[] {
  const uses = Object.fromEntries(Object.entries(tags).map(([t, u]) => [t, u.notebooks.length + u.pages.length + u.entries.length]));
  const out: Diagnostic[] = [];
  for (const group of tagVariants(uses)) {
    for (const { tag, uses: n } of group.variants) {
      const message = `tag \`${tag}\` is another spelling of \`${group.keep}\` (${n} vs ${uses[group.keep]} uses): pick one so they share a tag page`;
      const e = entries.find((x) => x.facts.tags.includes(tag));
      const owner = e ? null : (notebooks.find((x) => x.tags.includes(tag)) ?? pages.find((x) => x.tags.includes(tag)));
      if (e) out.push(diagnostic(e.record.path, at(e, 'tags'), 'warning', 'tag-variant', message));
      else if (owner)
        out.push(diagnostic(owner.source.path, { line: owner.source.key_lines.tags ?? owner.source.line, column: 1 }, 'warning', 'tag-variant', message));
    }
  }
  return out;
}
