/**
 * The node classes the fake ComfyUI knows, in the shape `GET /object_info`
 * returns them (input.required/optional with `[type, options]` or
 * `[[choices]]`, output, output_name, output_node, category), covering every
 * workflow shape in fixtures/comfyui. `run` says how the fake executes a
 * class: a latent of a size, sampler steps (with progress), a decode, or an
 * output of images / video (`gifs`) / animated images / audio / text.
 */

export type InputSpec = [string | string[], Record<string, unknown>?];

export interface NodeClass {
  input: { required: Record<string, InputSpec>; optional?: Record<string, InputSpec> };
  output: string[];
  output_name: string[];
  output_node: boolean;
  category: string;
  /** How the fake executes it (not part of object_info). */
  run?: 'latent' | 'sample' | 'decode' | 'save-image' | 'preview-image' | 'video' | 'animated' | 'audio' | 'text' | 'slow';
}

const SAMPLERS = ['euler', 'euler_ancestral', 'heun', 'dpmpp_2m', 'dpmpp_2m_sde', 'dpmpp_sde', 'ddim', 'ddpm', 'uni_pc'];
const SCHEDULERS = ['normal', 'karras', 'exponential', 'sgm_uniform', 'simple', 'ddim_uniform', 'beta'];
const CHECKPOINTS = [
  '512-inpainting-ema.safetensors',
  'sd3.5_large_fp8_scaled.safetensors',
  'sd_xl_base_1.0.safetensors',
  'sd_xl_refiner_1.0.safetensors',
  'v1-5-pruned-emaonly.safetensors',
];

// ComfyUI's catalogue says 0xffffffffffffffff; JSON gives a client the nearest double, as here.
const MAX_U64 = 2 ** 64;
const MAX_I64 = 2 ** 63;
const INT = (min = 0, max = MAX_U64, def = 0): InputSpec => ['INT', { default: def, min, max }];
const FLOAT = (min = 0, max = 100, def = 1): InputSpec => ['FLOAT', { default: def, min, max, step: 0.01 }];
const STRING: InputSpec = ['STRING', { multiline: true, dynamicPrompts: true }];
const list = (...choices: string[]): InputSpec => [choices];
const BOOL: InputSpec = ['BOOLEAN', { default: true }];

function node(category: string, required: Record<string, InputSpec>, outputs: [string, string][], extra: Partial<NodeClass> = {}): NodeClass {
  const { input, ...rest } = extra;
  const optional = input?.optional ? { optional: input.optional } : {};
  return { input: { required, ...optional }, output: outputs.map((o) => o[0]), output_name: outputs.map((o) => o[1]), output_node: false, category, ...rest };
}
const cond = (...names: string[]): [string, string][] => names.map((n) => ['CONDITIONING', n]);
const sampling = { seed: INT(), steps: INT(1, 10000, 20), cfg: FLOAT(0, 100, 8), sampler_name: [SAMPLERS] as InputSpec, scheduler: [SCHEDULERS] as InputSpec };
const encoderDims = {
  width: INT(0, 16384, 1024),
  height: INT(0, 16384, 1024),
  crop_w: INT(0, 16384),
  crop_h: INT(0, 16384),
  target_width: INT(0, 16384, 1024),
  target_height: INT(0, 16384, 1024),
};

export const CATALOGUE: Record<string, NodeClass> = {
  CheckpointLoaderSimple: node('loaders', { ckpt_name: [CHECKPOINTS] }, [
    ['MODEL', 'MODEL'],
    ['CLIP', 'CLIP'],
    ['VAE', 'VAE'],
  ]),
  UNETLoader: node(
    'advanced/loaders',
    {
      unet_name: list('flux1-dev.safetensors', 'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors', 'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors'),
      weight_dtype: list('default', 'fp8_e4m3fn'),
    },
    [['MODEL', 'MODEL']],
  ),
  DualCLIPLoader: node(
    'advanced/loaders',
    {
      clip_name1: list('t5xxl_fp16.safetensors', 'clip_l.safetensors'),
      clip_name2: list('t5xxl_fp16.safetensors', 'clip_l.safetensors'),
      type: list('sdxl', 'sd3', 'flux'),
    },
    [['CLIP', 'CLIP']],
  ),
  CLIPLoader: node(
    'advanced/loaders',
    { clip_name: list('umt5_xxl_fp8_e4m3fn_scaled.safetensors'), type: list('stable_diffusion', 'wan'), device: list('default', 'cpu') },
    [['CLIP', 'CLIP']],
  ),
  VAELoader: node('loaders', { vae_name: list('ae.safetensors', 'wan_2.1_vae.safetensors') }, [['VAE', 'VAE']]),
  LoraLoader: node(
    'loaders',
    {
      model: ['MODEL'],
      clip: ['CLIP'],
      lora_name: list('epi_noiseoffset2.safetensors', 'pixel-art-xl.safetensors'),
      strength_model: FLOAT(-100, 100),
      strength_clip: FLOAT(-100, 100),
    },
    [
      ['MODEL', 'MODEL'],
      ['CLIP', 'CLIP'],
    ],
  ),
  ControlNetLoader: node('loaders', { control_net_name: list('control_v11f1p_sd15_depth.pth', 'instantid/diffusion_pytorch_model.safetensors') }, [
    ['CONTROL_NET', 'CONTROL_NET'],
  ]),
  InstantIDModelLoader: node('InstantID', { instantid_file: list('ip-adapter.bin') }, [['INSTANTID', 'INSTANTID']]),
  InstantIDFaceAnalysis: node('InstantID', { provider: list('CPU', 'CUDA', 'ROCM') }, [['FACEANALYSIS', 'FACEANALYSIS']]),
  CLIPTextEncode: node('conditioning', { text: STRING, clip: ['CLIP'] }, cond('CONDITIONING')),
  CLIPTextEncodeSDXL: node('advanced/conditioning', { clip: ['CLIP'], ...encoderDims, text_g: STRING, text_l: STRING }, cond('CONDITIONING')),
  ConditioningZeroOut: node('advanced/conditioning', { conditioning: ['CONDITIONING'] }, cond('CONDITIONING')),
  ConditioningSetTimestepRange: node(
    'advanced/conditioning',
    { conditioning: ['CONDITIONING'], start: FLOAT(0, 1, 0), end: FLOAT(0, 1, 1) },
    cond('CONDITIONING'),
  ),
  ConditioningCombine: node('conditioning', { conditioning_1: ['CONDITIONING'], conditioning_2: ['CONDITIONING'] }, cond('CONDITIONING')),
  FluxGuidance: node('advanced/conditioning/flux', { conditioning: ['CONDITIONING'], guidance: FLOAT(0, 100, 3.5) }, cond('CONDITIONING')),
  ControlNetApplyAdvanced: node(
    'conditioning/controlnet',
    {
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      control_net: ['CONTROL_NET'],
      image: ['IMAGE'],
      strength: FLOAT(0, 10),
      start_percent: FLOAT(0, 1, 0),
      end_percent: FLOAT(0, 1, 1),
    },
    cond('positive', 'negative'),
    { input: { required: {}, optional: { vae: ['VAE'] } } },
  ),
  ApplyInstantID: node(
    'InstantID',
    {
      instantid: ['INSTANTID'],
      insightface: ['FACEANALYSIS'],
      control_net: ['CONTROL_NET'],
      image: ['IMAGE'],
      model: ['MODEL'],
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      weight: FLOAT(0, 5, 0.8),
      start_at: FLOAT(0, 1, 0),
      end_at: FLOAT(0, 1, 1),
    },
    [['MODEL', 'MODEL'], ...cond('positive', 'negative')],
    { input: { required: {}, optional: { image_kps: ['IMAGE'], mask: ['MASK'] } }, run: 'slow' },
  ),
  InpaintModelConditioning: node(
    'conditioning/inpaint',
    { positive: ['CONDITIONING'], negative: ['CONDITIONING'], vae: ['VAE'], pixels: ['IMAGE'], mask: ['MASK'], noise_mask: BOOL },
    [...cond('positive', 'negative'), ['LATENT', 'latent']],
    { run: 'latent' },
  ),
  DepthAnythingV2Preprocessor: node(
    'ControlNet Preprocessors/Normal and Depth Estimators',
    { image: ['IMAGE'], ckpt_name: list('depth_anything_v2_vitl.pth', 'depth_anything_v2_vits.pth'), resolution: INT(64, 16384, 512) },
    [['IMAGE', 'IMAGE']],
    { run: 'slow' },
  ),
  ModelSamplingSD3: node('advanced/model', { model: ['MODEL'], shift: FLOAT(0, 100, 3) }, [['MODEL', 'MODEL']]),
  LoadImage: node('image', { image: [['example.png', 'face.jpg', 'low-res.png', 'room.png', 'yosemite_inpaint_example.png'], { image_upload: true }] }, [
    ['IMAGE', 'IMAGE'],
    ['MASK', 'MASK'],
  ]),
  VAEEncode: node('latent', { pixels: ['IMAGE'], vae: ['VAE'] }, [['LATENT', 'LATENT']], { run: 'latent' }),
  VAEDecode: node('latent', { samples: ['LATENT'], vae: ['VAE'] }, [['IMAGE', 'IMAGE']], { run: 'decode' }),
  EmptyLatentImage: node('latent', { width: INT(16, 16384, 512), height: INT(16, 16384, 512), batch_size: INT(1, 4096, 1) }, [['LATENT', 'LATENT']], {
    run: 'latent',
  }),
  EmptySD3LatentImage: node('latent/sd3', { width: INT(16, 16384, 1024), height: INT(16, 16384, 1024), batch_size: INT(1, 4096, 1) }, [['LATENT', 'LATENT']], {
    run: 'latent',
  }),
  EmptyHunyuanLatentVideo: node(
    'latent/video',
    { width: INT(16, 16384, 848), height: INT(16, 16384, 480), length: INT(1, 16384, 25), batch_size: INT(1, 4096, 1) },
    [['LATENT', 'LATENT']],
    { run: 'latent' },
  ),
  LatentUpscale: node(
    'latent',
    {
      samples: ['LATENT'],
      upscale_method: list('nearest-exact', 'bilinear', 'area', 'bicubic', 'bislerp'),
      width: INT(0, 16384, 512),
      height: INT(0, 16384, 512),
      crop: list('disabled', 'center'),
    },
    [['LATENT', 'LATENT']],
    { run: 'latent' },
  ),
  KSampler: node(
    'sampling',
    { model: ['MODEL'], ...sampling, positive: ['CONDITIONING'], negative: ['CONDITIONING'], latent_image: ['LATENT'], denoise: FLOAT(0, 1, 1) },
    [['LATENT', 'LATENT']],
    { run: 'sample' },
  ),
  KSamplerAdvanced: node(
    'sampling',
    {
      model: ['MODEL'],
      add_noise: list('enable', 'disable'),
      noise_seed: INT(),
      steps: sampling.steps,
      cfg: sampling.cfg,
      sampler_name: sampling.sampler_name,
      scheduler: sampling.scheduler,
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      latent_image: ['LATENT'],
      start_at_step: INT(0, 10000, 0),
      end_at_step: INT(0, 10000, 10000),
      return_with_leftover_noise: list('disable', 'enable'),
    },
    [['LATENT', 'LATENT']],
    { run: 'sample' },
  ),
  RandomNoise: node('sampling/custom_sampling/noise', { noise_seed: INT() }, [['NOISE', 'NOISE']]),
  DisableNoise: node('sampling/custom_sampling/noise', {}, [['NOISE', 'NOISE']]),
  KSamplerSelect: node('sampling/custom_sampling/samplers', { sampler_name: [SAMPLERS] }, [['SAMPLER', 'SAMPLER']]),
  BasicScheduler: node(
    'sampling/custom_sampling/schedulers',
    { model: ['MODEL'], scheduler: [SCHEDULERS], steps: INT(1, 10000, 20), denoise: FLOAT(0, 1, 1) },
    [['SIGMAS', 'SIGMAS']],
  ),
  CFGGuider: node('sampling/custom_sampling/guiders', { model: ['MODEL'], positive: ['CONDITIONING'], negative: ['CONDITIONING'], cfg: FLOAT(0, 100, 8) }, [
    ['GUIDER', 'GUIDER'],
  ]),
  BasicGuider: node('sampling/custom_sampling/guiders', { model: ['MODEL'], conditioning: ['CONDITIONING'] }, [['GUIDER', 'GUIDER']]),
  SamplerCustomAdvanced: node(
    'sampling/custom_sampling',
    { noise: ['NOISE'], guider: ['GUIDER'], sampler: ['SAMPLER'], sigmas: ['SIGMAS'], latent_image: ['LATENT'] },
    [
      ['LATENT', 'output'],
      ['LATENT', 'denoised_output'],
    ],
    { run: 'sample' },
  ),
  PrimitiveInt: node('utils/primitive', { value: INT(-MAX_I64, MAX_U64) }, [['INT', 'INT']]),
  PrimitiveString: node('utils/primitive', { value: ['STRING', {}] }, [['STRING', 'STRING']]),
  PrimitiveStringMultiline: node('utils/primitive', { value: ['STRING', { multiline: true }] }, [['STRING', 'STRING']]),
  StringConcatenate: node(
    'utils/string',
    { string_a: ['STRING', { multiline: true }], string_b: ['STRING', { multiline: true }], delimiter: ['STRING', { default: '' }] },
    [['STRING', 'STRING']],
  ),
  SaveImage: node('image', { images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] }, [], { output_node: true, run: 'save-image' }),
  PreviewImage: node('image', { images: ['IMAGE'] }, [], { output_node: true, run: 'preview-image' }),
  SaveAnimatedWEBP: node(
    'image/animation',
    {
      images: ['IMAGE'],
      filename_prefix: ['STRING', { default: 'ComfyUI' }],
      fps: FLOAT(0.01, 1000, 6),
      lossless: BOOL,
      quality: INT(0, 100, 80),
      method: list('default', 'fastest', 'slowest'),
    },
    [],
    { output_node: true, run: 'animated' },
  ),
  VHS_VideoCombine: node(
    'Video Helper Suite 🎥🅥🅗🅢',
    {
      images: ['IMAGE'],
      frame_rate: FLOAT(1, 1000, 8),
      loop_count: INT(0, 100, 0),
      filename_prefix: ['STRING', { default: 'AnimateDiff' }],
      format: list('image/gif', 'image/webp', 'video/h264-mp4', 'video/webm'),
      pingpong: BOOL,
      save_output: BOOL,
    },
    [['VHS_FILENAMES', 'Filenames']],
    {
      input: { required: {}, optional: { audio: ['AUDIO'], pix_fmt: list('yuv420p', 'yuv420p10le'), crf: INT(0, 100, 19), save_metadata: BOOL } },
      output_node: true,
      run: 'video',
    },
  ),
  LoadAudio: node('audio', { audio: list('speech.wav') }, [['AUDIO', 'AUDIO']]),
  SaveAudio: node('audio', { audio: ['AUDIO'], filename_prefix: ['STRING', { default: 'audio/ComfyUI' }] }, [], { output_node: true, run: 'audio' }),
  PreviewAny: node('utils', { source: ['*', {}] }, [], { output_node: true, run: 'text' }),
};

/** What `GET /object_info` answers: the catalogue without the fake's own `run` field, with `name` and `display_name`. */
export function objectInfo(): Record<string, Omit<NodeClass, 'run'> & { name: string; display_name: string; description: string; python_module: string }> {
  return Object.fromEntries(
    Object.entries(CATALOGUE).map(([name, { run: _run, ...def }]) => [
      name,
      {
        ...def,
        name,
        display_name: name,
        description: '',
        python_module: name.includes('_') || name.startsWith('Instant') || name.startsWith('Depth') ? `custom_nodes.${name}` : 'nodes',
      },
    ]),
  );
}
