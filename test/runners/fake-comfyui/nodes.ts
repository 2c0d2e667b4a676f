/**
 * The node classes the fake ComfyUI knows, declared the way ComfyUI's
 * INPUT_TYPES / RETURN_TYPES / OUTPUT_NODE do, and prompt validation that
 * returns the same shapes as execution.validate_prompt (error + node_errors).
 */

type InputSpec = [string | string[], { min?: number; max?: number }?];

export interface NodeDef {
  required: Record<string, InputSpec>;
  returnTypes: string[];
  outputNode?: boolean;
}

export const SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m', 'dpmpp_2m_sde', 'ddim'];
export const SCHEDULERS = ['normal', 'karras', 'exponential', 'simple'];
export const CHECKPOINTS = ['sd_xl_base_1.0.safetensors', 'v1-5-pruned-emaonly.safetensors'];

export const NODE_DEFS: Record<string, NodeDef> = {
  CheckpointLoaderSimple: { required: { ckpt_name: [CHECKPOINTS] }, returnTypes: ['MODEL', 'CLIP', 'VAE'] },
  CLIPTextEncode: { required: { text: ['STRING'], clip: ['CLIP'] }, returnTypes: ['CONDITIONING'] },
  EmptyLatentImage: {
    required: { width: ['INT', { min: 16, max: 16384 }], height: ['INT', { min: 16, max: 16384 }], batch_size: ['INT', { min: 1, max: 4096 }] },
    returnTypes: ['LATENT'],
  },
  KSampler: {
    required: {
      model: ['MODEL'],
      seed: ['INT', { min: 0, max: Number.MAX_SAFE_INTEGER }],
      steps: ['INT', { min: 1, max: 10000 }],
      cfg: ['FLOAT', { min: 0, max: 100 }],
      sampler_name: [SAMPLERS],
      scheduler: [SCHEDULERS],
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      latent_image: ['LATENT'],
      denoise: ['FLOAT', { min: 0, max: 1 }],
    },
    returnTypes: ['LATENT'],
  },
  VAEDecode: { required: { samples: ['LATENT'], vae: ['VAE'] }, returnTypes: ['IMAGE'] },
  SaveImage: { required: { images: ['IMAGE'], filename_prefix: ['STRING'] }, returnTypes: [], outputNode: true },
  PreviewImage: { required: { images: ['IMAGE'] }, returnTypes: [], outputNode: true },
};

export type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

export interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export type ValidationResult =
  | { ok: true; outputs: string[]; node_errors: Record<string, never> }
  | { ok: false; error: ValidationError; node_errors: Record<string, { errors: ValidationError[]; dependent_outputs: string[]; class_type: string }> };

const isLink = (v: unknown): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[1] === 'number';

export function validatePrompt(prompt: Prompt): ValidationResult {
  for (const [id, node] of Object.entries(prompt)) {
    if (!node || typeof node !== 'object' || !('class_type' in node)) {
      return { ok: false, error: { type: 'invalid_prompt', message: `Cannot execute because a node is missing the class_type property.`, details: `Node ID '#${id}'`, extra_info: {} }, node_errors: {} };
    }
    if (!NODE_DEFS[node.class_type]) {
      return { ok: false, error: { type: 'invalid_prompt', message: `Cannot execute because node ${node.class_type} does not exist.`, details: `Node ID '#${id}'`, extra_info: {} }, node_errors: {} };
    }
  }
  const outputs = Object.keys(prompt).filter((id) => NODE_DEFS[prompt[id].class_type].outputNode);
  if (!outputs.length) {
    return { ok: false, error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }, node_errors: {} };
  }
  const validated = new Map<string, ValidationError[]>();
  const validate = (id: string): boolean => {
    if (validated.has(id)) return validated.get(id)!.length === 0;
    validated.set(id, []);
    const node = prompt[id];
    const def = NODE_DEFS[node.class_type];
    const errors: ValidationError[] = [];
    let upstreamOk = true;
    for (const [name, [type, limits]] of Object.entries(def.required)) {
      if (!(name in node.inputs)) {
        errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        continue;
      }
      const value = node.inputs[name];
      if (isLink(value)) {
        const src = prompt[String(value[0])];
        if (!src) {
          errors.push({ type: 'bad_linked_input', message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]', details: name, extra_info: { input_name: name, received_value: value } });
          continue;
        }
        const received = NODE_DEFS[src.class_type].returnTypes[value[1]];
        if (received !== type) {
          errors.push({ type: 'return_type_mismatch', message: 'Return type mismatch between linked nodes', details: `${name}, received_type(${received}) mismatch input_type(${type})`, extra_info: { input_name: name, received_type: received, linked_node: value } });
          continue;
        }
        if (!validate(String(value[0]))) upstreamOk = false;
        continue;
      }
      if (Array.isArray(type)) {
        if (!type.includes(value as string)) {
          errors.push({ type: 'value_not_in_list', message: 'Value not in list', details: `${name}: '${value}' not in ${JSON.stringify(type)}`, extra_info: { input_name: name, input_config: [type], received_value: value } });
        }
      } else if (type === 'INT' || type === 'FLOAT') {
        const n = Number(value);
        if (typeof value === 'boolean' || Number.isNaN(n)) {
          errors.push({ type: 'invalid_input_type', message: `Failed to convert an input value to a ${type} value`, details: `${name}, ${value}`, extra_info: { input_name: name, received_value: value } });
        } else if (limits?.min !== undefined && n < limits.min) {
          errors.push({ type: 'value_smaller_than_min', message: `Value ${n} smaller than min of ${limits.min}`, details: name, extra_info: { input_name: name, received_value: n } });
        } else if (limits?.max !== undefined && n > limits.max) {
          errors.push({ type: 'value_bigger_than_max', message: `Value ${n} bigger than max of ${limits.max}`, details: name, extra_info: { input_name: name, received_value: n } });
        }
      }
    }
    validated.set(id, errors);
    return errors.length === 0 && upstreamOk;
  };
  const good: string[] = [];
  const nodeErrors: Record<string, { errors: ValidationError[]; dependent_outputs: string[]; class_type: string }> = {};
  const reasons: string[] = [];
  for (const o of outputs) {
    if (validate(o)) {
      good.push(o);
      continue;
    }
    for (const [id, errors] of validated) {
      if (!errors.length) continue;
      nodeErrors[id] ??= { errors, dependent_outputs: [], class_type: prompt[id].class_type };
      if (!nodeErrors[id].dependent_outputs.includes(o)) nodeErrors[id].dependent_outputs.push(o);
      for (const e of errors) reasons.push(`${e.message}: ${e.details}`);
    }
  }
  if (!good.length) {
    return {
      ok: false,
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: [...new Set(reasons)].join('\n'), extra_info: {} },
      node_errors: nodeErrors,
    };
  }
  return { ok: true, outputs: good, node_errors: nodeErrors as Record<string, never> };
}

/** Nodes needed by the outputs, dependencies first (the order ComfyUI executes them in). */
export function executionOrder(prompt: Prompt, outputs: string[]): string[] {
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id)) return;
    for (const v of Object.values(prompt[id].inputs)) if (isLink(v)) visit(String(v[0]));
    order.push(id);
  };
  for (const o of [...outputs].sort()) visit(o);
  return order;
}
