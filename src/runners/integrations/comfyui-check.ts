/**
 * The `comfyui` static check (`lab check`, `lab run --dry-run`): opens the
 * workflow and cross-checks the parameters with its nodes, the same way a run
 * applies them, without a server. A UI-format export, a node id the workflow
 * does not have, or a well-known parameter that matches no node are errors
 * (the run would refuse them); an input a node does not list is a warning
 * (ComfyUI's API export omits unconnected optional inputs, so it may be right).
 */
import { didYouMean } from '../../core/entry-types.ts';
import type { InputIssue, StaticCheckFiles } from '../types.ts';
import { parseWorkflow, wellKnownTargets, WELL_KNOWN_PARAMETERS, type ApiWorkflow } from './comfyui-workflow.ts';

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
  const issues: InputIssue[] = [];
  const parameters = inputs.parameters && typeof inputs.parameters === 'object' ? (inputs.parameters as Record<string, unknown>) : {};
  const ids = Object.keys(workflow).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const name of Object.keys(parameters)) {
    const path = ['parameters', name];
    const explicit = /^([^.]+)\.(.+)$/.exec(name);
    if (explicit) {
      const [, id, input] = explicit;
      const node = workflow[id];
      if (!node) {
        issues.push({ path, message: `names node ${id}, but ${ref} has no node ${id} (its nodes: ${ids.join(', ')})`, rule: 'comfyui-parameter' });
      } else if (!(input in node.inputs)) {
        const known = Object.keys(node.inputs);
        issues.push({
          path, severity: 'warning', rule: 'comfyui-parameter',
          message: `names node ${id} (${node.class_type}), which has no input \`${input}\`${didYouMean(input, known)}; its inputs: ${known.join(', ') || 'none'}`,
        });
      }
      continue;
    }
    const targets = wellKnownTargets(workflow, name);
    if (targets === null) {
      issues.push({
        path, rule: 'comfyui-parameter',
        message: `is not a parameter ComfyUI entries know${didYouMean(name, WELL_KNOWN_PARAMETERS)}: use one of ${WELL_KNOWN_PARAMETERS.join(', ')}, or "<node id>.<input>" (e.g. "6.text")`,
      });
    } else if (!targets.length) {
      issues.push({ path, rule: 'comfyui-parameter', message: `matches no node in ${ref}; name the node explicitly, e.g. "<node id>.${name}"` });
    }
  }
  return issues;
}
