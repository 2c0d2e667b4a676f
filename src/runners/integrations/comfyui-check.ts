/**
 * The `comfyui` static check (`lab check`, `lab run --dry-run`): opens the workflow and places the
 * parameters exactly as a run does (comfyui-placement.ts), without a server. A UI-format export,
 * an unknown or ambiguous parameter, a node id the workflow does not have or an input its node
 * does not list are errors: the run would refuse each of them.
 */
import type { InputIssue, StaticCheckFiles } from '../types.ts';
import { placeParameters } from './comfyui-placement.ts';
import { type ApiWorkflow, parseWorkflow } from './comfyui-workflow.ts';

export function checkComfyuiInputs(inputs: Record<string, unknown>, files: StaticCheckFiles): InputIssue[] {
  const ref = inputs.workflow;
  if (typeof ref !== 'string') return [];
  const text = files.read(ref);
  if (text === null) return []; // a missing input file is reported by the compiler itself
  let workflow: ApiWorkflow;
  try {
    workflow = parseWorkflow(text, ref);
  } catch (e) {
    return [{ path: ['workflow'], message: `cannot be used: ${(e as Error).message}`, rule: 'comfyui-workflow' }];
  }
  const parameters = inputs.parameters && typeof inputs.parameters === 'object' ? (inputs.parameters as Record<string, unknown>) : {};
  return placeParameters(workflow, parameters).problems.map((p) => {
    const candidates = p.candidates.map((c) => `${c.node}.${c.input} (${c.class_type}${c.title && c.title !== c.class_type ? ` "${c.title}"` : ''})`);
    return {
      path: ['parameters', p.parameter],
      rule: 'comfyui-parameter',
      message: `${p.message}${candidates.length ? `; candidates: ${candidates.join(', ')}` : ''}`,
    };
  });
}
