/**
 * Checks against a server's `GET /object_info`: does the node class exist there,
 * does it have the input, is the value one of its choices and within its limits.
 * Each problem says what the server would refuse, with a did-you-mean.
 */

import { editDistance } from '../../core/entry-types.ts';
import type { ApiWorkflow, ObjectInfo } from './comfyui-graph.ts';

/** Input names a class declares on the server (required and optional); empty when unknown. */
export function serverInputs(cls: string, info?: ObjectInfo): string[] {
  const i = info?.[cls]?.input;
  return i ? [...Object.keys(i.required ?? {}), ...Object.keys(i.optional ?? {})] : [];
}

/** A value the server would refuse: an unknown class, an input its class lacks, a choice not in its list, a number out of range. */
export function checkAgainstServer(wf: ApiWorkflow, t: { node: string; input: string }, value: unknown, info: ObjectInfo): string | null {
  const cls = wf[t.node]!.class_type;
  const def = info[cls];
  if (!def) return `node ${t.node}: the server has no node class ${cls} (a custom node that is not installed?)`;
  const spec = def.input?.required?.[t.input] ?? def.input?.optional?.[t.input];
  if (!spec) return `${cls} on the server has no input \`${t.input}\` (node ${t.node})`;
  // Classic `[[choices]]`, or V3 nodes' `["COMBO", {options: [...]}]`.
  const options = (spec[1] as { options?: unknown } | undefined)?.options;
  const choices = Array.isArray(spec[0]) ? (spec[0] as unknown[]) : spec[0] === 'COMBO' && Array.isArray(options) ? options : null;
  if (choices && !choices.includes(value)) {
    const near = typeof value === 'string' ? closest(value, choices.map(String)) : null;
    return `${JSON.stringify(value)} is not one of the server's ${t.input} values for node ${t.node} (${cls})${near ? ` — did you mean ${JSON.stringify(near)}?` : ''}`;
  }
  const limits = (spec[1] ?? {}) as { min?: unknown; max?: unknown };
  if ((spec[0] === 'INT' || spec[0] === 'FLOAT') && typeof value === 'number') {
    if (typeof limits.min === 'number' && value < limits.min)
      return `${value} is below the server's minimum ${limits.min} for ${t.input} of node ${t.node} (${cls})`;
    if (typeof limits.max === 'number' && value > limits.max)
      return `${value} is above the server's maximum ${limits.max} for ${t.input} of node ${t.node} (${cls})`;
  }
  return null;
}

/** The closest name by edit distance, when it is close enough to be a typo. */
export function closest(word: string, options: string[]): string | null {
  let best: string | null = null;
  let score = Infinity;
  const w = word.toLowerCase();
  for (const o of options) {
    // `dpmpp_2m_karras` (A1111's name) is `dpmpp_2m` plus a scheduler: a shared stem counts as close.
    const l = o.toLowerCase();
    const d = l.length >= 3 && (w.startsWith(l) || l.startsWith(w)) ? 1 : editDistance(w, l);
    if (d < score) [best, score] = [o, d];
  }
  return best !== null && score <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}
