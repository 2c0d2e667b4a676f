/**
 * Prompt validation as execution.validate_prompt does it, against the fake's
 * catalogue: unknown classes, missing required inputs, bad links, return type
 * mismatches, values not in a list, numbers out of range — returned in the
 * same shapes (`error` + `node_errors` with `dependent_outputs`).
 */
import { CATALOGUE, type InputSpec } from './catalogue.ts';

export { objectInfo } from './catalogue.ts';

export type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

type NodeErrors = Record<string, { errors: ValidationError[]; dependent_outputs: string[]; class_type: string }>;

export type ValidationResult = { ok: true; outputs: string[]; node_errors: NodeErrors } | { ok: false; error: ValidationError; node_errors: NodeErrors };

export const isLink = (v: unknown): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[1] === 'number';

const invalid = (message: string, details: string, type = 'invalid_prompt'): ValidationResult => ({
  ok: false,
  error: { type, message, details, extra_info: {} },
  node_errors: {},
});

export function validatePrompt(prompt: Prompt): ValidationResult {
  for (const [id, node] of Object.entries(prompt)) {
    if (!node || typeof node !== 'object' || !('class_type' in node))
      return invalid('Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`);
    if (!CATALOGUE[node.class_type]) return invalid(`Cannot execute because node ${node.class_type} does not exist.`, `Node ID '#${id}'`);
  }
  const outputs = Object.keys(prompt).filter((id) => CATALOGUE[prompt[id]!.class_type]!.output_node);
  if (!outputs.length) return invalid('Prompt has no outputs', '', 'prompt_no_outputs');
  const validated = new Map<string, ValidationError[]>();
  const validate = (id: string): boolean => {
    if (validated.has(id)) return validated.get(id)!.length === 0;
    validated.set(id, []);
    const node = prompt[id]!;
    const def = CATALOGUE[node.class_type]!;
    const errors: ValidationError[] = [];
    let upstreamOk = true;
    const specs: [string, InputSpec, boolean][] = [
      ...Object.entries(def.input.required).map(([k, s]) => [k, s, true] as [string, InputSpec, boolean]),
      ...Object.entries(def.input.optional ?? {}).map(([k, s]) => [k, s, false] as [string, InputSpec, boolean]),
    ];
    for (const [name, [type, limits], required] of specs) {
      if (!(name in node.inputs)) {
        if (required) errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        continue;
      }
      const value = node.inputs[name];
      if (isLink(value)) {
        const src = prompt[String(value[0])];
        if (!src) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, received_value: value },
          });
          continue;
        }
        const received = CATALOGUE[src.class_type]!.output[value[1]];
        const expected = Array.isArray(type) ? 'COMBO' : type;
        if (received !== expected && expected !== '*' && !(expected === 'COMBO' && received === 'STRING')) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${received}) mismatch input_type(${expected})`,
            extra_info: { input_name: name, received_type: received, linked_node: value },
          });
          continue;
        }
        if (!validate(String(value[0]))) upstreamOk = false;
        continue;
      }
      if (Array.isArray(type)) {
        if (!type.includes(value as string)) {
          const listInfo = type.length > 20 ? `(list of length ${type.length})` : JSON.stringify(type).replace(/"/g, "'").replace(/,/g, ', ');
          errors.push({
            type: 'value_not_in_list',
            message: 'Value not in list',
            details: `${name}: '${value}' not in ${listInfo}`,
            extra_info: { input_name: name, input_config: [type], received_value: value },
          });
        }
      } else if (type === 'INT' || type === 'FLOAT') {
        const n = Number(value);
        const min = limits?.min as number | undefined;
        const max = limits?.max as number | undefined;
        if (typeof value === 'boolean' || value === null || value === '' || Number.isNaN(n)) {
          errors.push({
            type: 'invalid_input_type',
            message: `Failed to convert an input value to a ${type} value`,
            details: `${name}, ${value}, invalid literal`,
            extra_info: { input_name: name, received_value: value },
          });
        } else if (min !== undefined && n < min) {
          errors.push({
            type: 'value_smaller_than_min',
            message: `Value ${n} smaller than min of ${min}`,
            details: name,
            extra_info: { input_name: name, received_value: n },
          });
        } else if (max !== undefined && n > max) {
          errors.push({
            type: 'value_bigger_than_max',
            message: `Value ${n} bigger than max of ${max}`,
            details: name,
            extra_info: { input_name: name, received_value: n },
          });
        }
      }
    }
    validated.set(id, errors);
    return errors.length === 0 && upstreamOk;
  };
  const good: string[] = [];
  const nodeErrors: NodeErrors = {};
  const reasons: string[] = [];
  for (const o of outputs) {
    if (validate(o)) {
      good.push(o);
      continue;
    }
    for (const [id, errors] of validated) {
      if (!errors.length) continue;
      nodeErrors[id] ??= { errors, dependent_outputs: [], class_type: prompt[id]!.class_type };
      if (!nodeErrors[id].dependent_outputs.includes(o)) nodeErrors[id].dependent_outputs.push(o);
      for (const e of errors) reasons.push(`${e.message}: ${e.details}`);
    }
  }
  if (!good.length) {
    return {
      ok: false,
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details: [...new Set(reasons)].join('\n'),
        extra_info: {},
      },
      node_errors: nodeErrors,
    };
  }
  return { ok: true, outputs: good, node_errors: nodeErrors };
}

/** Nodes needed by the outputs, dependencies first (the order ComfyUI executes them in). */
export function executionOrder(prompt: Prompt, outputs: string[]): string[] {
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id)) return;
    for (const v of Object.values(prompt[id]!.inputs)) if (isLink(v)) visit(String(v[0]));
    order.push(id);
  };
  for (const o of [...outputs].sort()) visit(o);
  return order;
}
