/**
 * `manual`: an experiment done by hand (a lab bench, a web UI). Nothing is
 * executed; running it records provenance and marks it completed, and
 * `lab attach` adds its result files as artifacts.
 */
import { z } from 'zod';
import type { Integration } from '../types.ts';

/** Inputs of a manual entry: free-form notes of what was done (kept as written). */
export const manualInputsSchema = z.record(z.string(), z.unknown());

export const manual: Integration<Record<string, unknown>> = {
  name: 'manual',
  keepsResults: true,
  inputsSchema: manualInputsSchema,
  inputsTemplate: ['  # Free-form: what you did by hand, e.g.', '  # instrument: spectrometer B', '  # sample: S-042'].join('\n'),
  async execute() {
    return {};
  },
};
