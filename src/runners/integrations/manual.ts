/**
 * `manual`: an experiment done by hand (a lab bench, a web UI). Nothing is
 * executed; running it records provenance and marks it completed, and
 * `lab attach` adds its result files as artifacts.
 */
import { z } from 'zod/v3';
import type { Integration } from '../types.ts';

/** Inputs of a manual entry: free-form notes of what was done (kept as written). */
export const manualInputsSchema = z.record(z.string(), z.unknown());

export const manual: Integration<Record<string, unknown>> = {
  name: 'manual',
  keepsResults: true,
  inputsSchema: manualInputsSchema,
  async execute() {
    return {};
  },
};
