/**
 * Journals with a known answer. A page of a "render quality" study where
 * accuracy = 0.6 + 0.03·cfg + noise (seed and steps have no effect), or a null
 * page where nothing has. Entries grow the way people make them: each new one
 * is a variation of an earlier one with one or two parameters changed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Entry } from '../../src/core/model.ts';
import { prng, shuffleInPlace } from '../../src/insights/prng.ts';

export interface PlantedOptions {
  seed: number;
  entries?: number;
  /** Effect of cfg on accuracy per unit (0 for a null journal). */
  cfgEffect?: number;
  /** Standard deviation of the noise. */
  noise?: number;
}

const CFGS = [3, 4.5, 6, 7.5, 9, 10.5];
const STEPS = [20, 30, 40];

/** The entries of one planted page, as the compiler would index them. */
export function plantedEntries(o: PlantedOptions): Entry[] {
  const rand = prng(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const n = o.entries ?? 30;
  const effect = o.cfgEffect ?? 0.03;
  const noise = o.noise ?? 0.06;
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    let params: { cfg: number; seed: number; steps: number };
    let origin: Entry | null = null;
    if (i === 0) params = { cfg: 7.5, seed: 42, steps: 30 };
    else {
      origin = out[Math.floor(rand() * out.length)]!;
      params = { ...(origin.inputs.parameters as typeof params) };
      const changes = rand() < 0.6 ? 1 : 2;
      const keys = shuffleInPlace(['cfg', 'seed', 'steps'], rand).slice(0, changes) as (keyof typeof params)[];
      for (const k of keys) {
        if (k === 'cfg') params.cfg = pick(CFGS.filter((c) => c !== params.cfg))!;
        if (k === 'seed') params.seed = Math.floor(rand() * 100000);
        if (k === 'steps') params.steps = pick(STEPS.filter((s) => s !== params.steps))!;
      }
    }
    const accuracy = Number((0.6 + effect * params.cfg + noise * normal()).toFixed(4));
    const id = `entry-p${o.seed}-${String(i + 1).padStart(3, '0')}`;
    out.push(entry(id, i, params, accuracy, origin?.id ?? null));
  }
  return out;
}

function entry(id: string, i: number, parameters: Record<string, number>, accuracy: number, origin: string | null): Entry {
  const slug = `${String(i + 1).padStart(3, '0')}-render`;
  return {
    id,
    page_id: 'page-planted',
    notebook_id: 'nb-planted',
    type: 'command',
    stale: false,
    lineage: { parent_id: origin, children_ids: [], variation_of: origin, variation_ids: [] },
    slug,
    title: `Render ${i + 1}`,
    created: `2026-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    status: 'completed',
    inputs: { command: 'python render.py', parameters },
    outputs: {},
    metrics: { accuracy },
    artifacts: [],
    logs: {},
    execution: null,
    metadata: { tags: [], notes: '', rating: null, archived: null },
    input_files: [],
    source: { path: `content/notebooks/nb/page-one/entries/${slug}.md`, format: 'md', line: 1, body_line: 1, key_lines: {} },
  };
}

/** Writes a planted page as entry files into a workspace made by `makeWorkspace` (page `nb/page-one`). */
export async function writePlanted(root: string, entries: Entry[]): Promise<void> {
  for (const e of entries) {
    const front = {
      id: e.id,
      title: e.title,
      type: e.type,
      created: e.created,
      ...(e.lineage.parent_id ? { parent: e.lineage.parent_id, variation_of: e.lineage.variation_of } : {}),
      inputs: e.inputs,
      status: e.status,
      metrics: e.metrics,
    };
    const file = path.join(root, e.source.path);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `---\n${stringify(front)}---\n\nRendered and scored.\n`);
  }
}
