/**
 * Property tests over random reference graphs: entries share content-addressed
 * blobs through artifacts, logs and notes; some are old, rated, parents of recent
 * ones. Whatever the graph, archiving touches no blob that a live entry still
 * references, and restoring brings every original back byte for byte.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveJournal } from '../../src/archive/archive.ts';
import { type PlanEntry, planArchive } from '../../src/archive/plan.ts';
import { restoreEntry } from '../../src/archive/restore.ts';
import type { Artifact } from '../../src/core/schema/entry.ts';
import { entryFile, makeJournal, noisePng, PAGE, removeJournals } from './helpers.ts';

afterAll(removeJournals);

const NOW = new Date('2025-06-01T00:00:00Z');
const OLD = '2024-01-01T00:00:00Z';
const RECENT = '2025-05-30T00:00:00Z';
const hashOf = (i: number) => `sha256:${createHash('sha256').update(`blob-${i}`).digest('hex')}`;

const entryArb = fc.record({
  old: fc.boolean(),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  parent: fc.option(fc.nat(), { nil: null }),
  archive: fc.constantFrom(undefined, 'keep', 'thumbnail', 'compress', 'drop'),
  artifacts: fc.array(fc.record({ blob: fc.nat({ max: 9 }), image: fc.boolean(), archivedAlready: fc.constantFrom(null, 'drop', 'thumbnail') }), {
    maxLength: 4,
  }),
  logs: fc.array(fc.nat({ max: 9 }), { maxLength: 2 }),
});

const graphArb = fc.record({
  entries: fc.array(entryArb, { minLength: 1, maxLength: 12 }),
  textRefs: fc.array(fc.nat({ max: 9 }), { maxLength: 2 }),
  strategy: fc.constantFrom(undefined, 'thumbnail', 'compress', 'drop') as fc.Arbitrary<'thumbnail' | 'compress' | 'drop' | undefined>,
  keepRating: fc.constantFrom(0, 4),
});

describe('archive plan over random reference graphs', () => {
  it('never touches a blob that anything outside the archived set references', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const entries: PlanEntry[] = g.entries.map((e, i) => ({
          id: `e${i}`,
          notebook_id: 'nb',
          date: e.old ? OLD : RECENT,
          rating: e.rating,
          parent: e.parent !== null && e.parent < i ? `e${e.parent}` : null,
          variation_of: null,
          archive: e.archive,
          status: 'completed',
          artifacts: e.artifacts.map(
            (a, k): Artifact => ({
              name: `a${k}`,
              hash: hashOf(a.blob),
              type: a.image ? 'image/png' : 'text/csv',
              ...(a.archivedAlready ? { archived: { strategy: a.archivedAlready, at: OLD, original_hash: hashOf(100 + a.blob), original_size_bytes: 1 } } : {}),
            }),
          ),
          logs: e.logs.map(hashOf),
        }));
        const textRefs = new Set(g.textRefs.map((i) => hashOf(i).slice(7)));
        const plan = planArchive({
          entries,
          settings: new Map(),
          now: NOW,
          olderThanDays: 90,
          strategy: g.strategy,
          exemptions: { keepRating: g.keepRating, keepAncestorsOfRecent: true },
          textReferences: textRefs,
        });
        const touched = new Set(plan.actions.map((a) => a.hash));
        const acted = new Set(plan.actions.map((a) => `${a.entry}/${a.index}`));
        // Independently: every reference that stays live.
        for (const e of entries) {
          for (const l of e.logs) expect(touched.has(l!)).toBe(false);
          e.artifacts.forEach((a, k) => {
            if (acted.has(`${e.id}/${k}`) || a.archived?.strategy === 'drop') return;
            expect(touched.has(a.hash), `${e.id}/${a.name} still uses ${a.hash}`).toBe(false);
          });
        }
        for (const hex of textRefs) expect(touched.has(`sha256:${hex}`)).toBe(false);
        // Exemptions hold.
        const selected = new Set(plan.selected);
        for (const e of entries) {
          if (!selected.has(e.id)) continue;
          expect(e.date).toBe(OLD);
          expect(e.archive).not.toBe('keep');
          if (g.keepRating) expect(e.rating ?? 0).toBeLessThan(g.keepRating);
          expect(entries.some((c) => c.date === RECENT && c.parent === e.id)).toBe(false);
        }
        for (const a of plan.actions) expect(selected.has(a.entry)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('archive and restore on real journals', () => {
  it('leaves every live blob byte-identical, and restore brings every original back byte-exact', async () => {
    const smallGraph = fc.record({
      entries: fc.array(fc.record({ old: fc.boolean(), blobs: fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }) }), {
        minLength: 1,
        maxLength: 5,
      }),
      strategy: fc.constantFrom('thumbnail', 'compress', 'drop') as fc.Arbitrary<'thumbnail' | 'compress' | 'drop'>,
    });
    const pool = await Promise.all([0, 1, 2].map((i) => noisePng(96, 96, i + 20)));
    const texts = [0, 1].map((i) => Buffer.from(`step,value\n${Array.from({ length: 400 }, (_, k) => `${k},${(k * (i + 1)) % 97}`).join('\n')}\n`));
    const payload = (b: number) =>
      b < 3 ? { bytes: pool[b], name: `img-${b}.png`, type: 'image/png' } : { bytes: texts[b - 3], name: `rows-${b}.csv`, type: 'text/csv' };
    await fc.assert(
      fc.asyncProperty(smallGraph, async (g) => {
        const j = await makeJournal();
        const originals = new Map<string, Buffer>();
        g.entries.forEach((e, i) => {
          const artifacts = e.blobs.map((b) => {
            const p = payload(b);
            const art = j.blob(p.name, p.bytes!, p.type);
            originals.set(String(art.hash), p.bytes!);
            return art;
          });
          j.write(
            `${PAGE}/entries/${String(i + 1).padStart(3, '0')}-e.md`,
            entryFile({ id: `entry-${i}`, title: `E${i}`, type: 'manual', created: e.old ? OLD : RECENT, artifacts }),
          );
        });
        await j.commit('graph');
        const liveHashes = new Set(
          g.entries.flatMap((e, i) => (e.old ? [] : e.blobs.map((b) => `sha256:${createHash('sha256').update(payload(b).bytes!).digest('hex')}`))).map(String),
        );
        const report = await archiveJournal(j.dir, { olderThanDays: 90, strategy: g.strategy, now: NOW });
        for (const h of liveHashes) {
          const hex = h.slice(7);
          const file = j.blobFiles().find((f) => f.includes(hex));
          expect(file, `live blob ${hex} was removed`).toBeDefined();
          expect(fs.readFileSync(path.join(j.dir, 'content/blobs', file!)).equals(originals.get(h)!)).toBe(true);
          expect(report.archived.some((a) => a.original_hash === h)).toBe(false);
        }
        for (const entry of new Set(report.archived.map((a) => a.entry))) await restoreEntry(j.dir, entry);
        for (const [h, bytes] of originals) {
          const file = j.blobFiles().find((f) => f.includes(h.slice(7)));
          expect(file, `original ${h} not restored`).toBeDefined();
          expect(fs.readFileSync(path.join(j.dir, 'content/blobs', file!)).equals(bytes)).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
