/**
 * The pull request the diff tests review: on `main` a journal with four
 * entries; on `feature` one commit that re-runs an entry with a changed
 * parameter (metrics move, a new image), adds a variation of an entry that does
 * not change, renames one entry, removes another, adds one not yet run, and
 * edits the page's Observations.
 */
import { blob, ENTRIES, entry, makeRepo, NB, notebook, PAGE, page, type TestRepo } from './helpers.ts';

export interface Scenario {
  repo: TestRepo;
  base: string;
  head: string;
  image: Record<string, unknown>;
}

export async function prScenario(): Promise<Scenario> {
  const repo = await makeRepo();
  repo.write({
    [`${NB}/README.md`]: notebook(),
    [`${PAGE}/README.md`]: page({ Goals: 'Find the cfg that gives crisp skies.', Observations: 'cfg 7.5 looks soft.' }),
    [`${ENTRIES}/001-sunset.md`]: entry({
      id: 'entry-sunset',
      title: 'Sunset cfg sweep',
      status: 'completed',
      parameters: { prompt: 'a serene lake at sunset', seed: 42, cfg: 7.5, sampler: { name: 'euler', steps: 20 } },
      run: { started: '2024-11-27T10:00:00Z', seconds: 12 },
      metrics: { aesthetic: 6.1, loss: 0.5 },
      rating: 3,
    }),
    [`${ENTRIES}/002-portrait.md`]: entry({
      id: 'entry-portrait',
      title: 'Portrait base',
      status: 'completed',
      parameters: { prompt: 'a portrait', seed: 7, cfg: 6 },
      run: { started: '2024-11-27T11:00:00Z', seconds: 20 },
      metrics: { aesthetic: 5.5 },
    }),
    [`${ENTRIES}/003-fog.md`]: entry({ id: 'entry-fog', title: 'Fog study', parameters: { seed: 3 } }),
    [`${ENTRIES}/004-old.md`]: entry({ id: 'entry-old', title: 'Old attempt', parameters: { seed: 4 } }),
  });
  const base = await repo.commit('Start the landscape journal');
  await repo.branch('feature');
  await repo.checkout('feature');
  const image = blob(repo, 'image-001.png', 'sunset-cfg-8');
  repo.write({
    [`${ENTRIES}/001-sunset.md`]: entry({
      id: 'entry-sunset',
      title: 'Sunset cfg sweep',
      status: 'completed',
      parameters: { prompt: 'a serene lake at sunset', seed: 42, cfg: 8, sampler: { name: 'euler', steps: 30 } },
      run: { started: '2024-11-28T09:00:00Z', seconds: 12.4 },
      metrics: { aesthetic: 6.8, loss: 0.55 },
      rating: 4,
      artifacts: [image],
    }),
    [`${ENTRIES}/005-portrait-seed.md`]: entry({
      id: 'entry-portrait-seed',
      title: 'Portrait seed 8',
      variation_of: 'entry-portrait',
      status: 'completed',
      parameters: { prompt: 'a portrait', seed: 8, cfg: 6 },
      run: { started: '2024-11-28T10:00:00Z', seconds: 18 },
      metrics: { aesthetic: 5.9 },
    }),
    [`${ENTRIES}/006-dawn.md`]: entry({ id: 'entry-dawn', title: 'Dawn idea', parameters: { seed: 6 } }),
    [`${PAGE}/README.md`]: page({
      Goals: 'Find the cfg that gives crisp skies.',
      Observations: 'cfg 7.5 looks soft.\ncfg 8 with 30 steps gives crisp skies.',
      'Next Steps': 'Try cfg 9.',
    }),
  });
  repo.move(`${ENTRIES}/003-fog.md`, `${ENTRIES}/003-fog-study.md`);
  repo.remove(`${ENTRIES}/004-old.md`);
  const head = await repo.commit('cfg sweep: re-run at cfg 8, portrait seed variation');
  return { repo, base, head, image };
}
