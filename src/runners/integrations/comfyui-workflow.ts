/**
 * ComfyUI API-format workflows (`{ "<node id>": { class_type, inputs } }`) and
 * how `inputs.parameters` are applied to them (placement: comfyui-placement.ts).
 */
import { RunFailure } from '../types.ts';
import type { ApiWorkflow, ObjectInfo, WorkflowNode } from './comfyui-graph.ts';
import { describeProblem, type Placement, placeParameters } from './comfyui-placement.ts';

export type { ApiWorkflow } from './comfyui-graph.ts';

/** Parses and checks a workflow file's JSON; a UI-format export gets a hint on how to get the API format. */
export function parseWorkflow(text: string, file: string): ApiWorkflow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunFailure(`workflow ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new RunFailure(`workflow ${file} must be a JSON object of nodes`);
  const obj = value as Record<string, unknown>;
  if (Array.isArray(obj.nodes) && Array.isArray(obj.links)) {
    throw new RunFailure(`workflow ${file} is in ComfyUI's UI format; export it with "Save (API Format)" (enable dev mode options in the settings)`);
  }
  const workflow = (obj.prompt && typeof obj.prompt === 'object' ? obj.prompt : obj) as Record<string, unknown>;
  for (const [id, node] of Object.entries(workflow)) {
    const n = node as Partial<WorkflowNode> | null;
    if (!n || typeof n !== 'object' || typeof n.class_type !== 'string' || !n.inputs || typeof n.inputs !== 'object') {
      throw new RunFailure(`workflow ${file}: node ${id} needs a \`class_type\` and an \`inputs\` object (API format)`);
    }
  }
  if (!Object.keys(workflow).length) throw new RunFailure(`workflow ${file} has no nodes`);
  return workflow as ApiWorkflow;
}

/**
 * Applies parameters to a copy of the workflow where `placeParameters` puts
 * them. Returns the new workflow and the assignments made as
 * `"<node>.<input>": value` (recorded in the outputs); any parameter that
 * cannot be placed fails the run, naming the candidates.
 */
export function applyParameters(
  workflow: ApiWorkflow,
  parameters: Record<string, unknown>,
  objectInfo?: ObjectInfo,
): { workflow: ApiWorkflow; applied: Record<string, unknown>; placements: Placement[] } {
  const { placements, problems } = placeParameters(workflow, parameters, objectInfo);
  if (problems.length) throw new RunFailure(problems.map(describeProblem).join('; '));
  const wf: ApiWorkflow = structuredClone(workflow);
  const applied: Record<string, unknown> = {};
  for (const p of placements) {
    wf[p.node]!.inputs[p.input] = p.value;
    applied[`${p.node}.${p.input}`] = p.value;
  }
  return { workflow: wf, applied, placements };
}
