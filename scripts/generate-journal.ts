/**
 * Generates a synthetic but realistic journal for benchmarks:
 *   node scripts/generate-journal.ts <dir> [--entries 10000] [--pages 100] [--notebooks 10] [--images 0]
 * Entries have realistic frontmatter, ~200 words of notes, parents and variations
 * within their page; `--images N` stores N small PNG blobs referenced by entries.
 * Deterministic: the same options give the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256 } from '../src/core/hash.ts';
import { computeInputsHash } from '../src/core/inputs.ts';
import { prng } from './prng.ts';

export interface GenerateOptions {
  entries?: number;
  pages?: number;
  notebooks?: number;
  images?: number;
}

const WORDS = (
  'the a sample loss converged diverged learning rate warmup batch epoch seed prompt sunset lake mountain cfg sampler steps ' +
  'scheduler euler karras noise latent decoder image quality sharper softer contrast color saturation baseline variation retry query ' +
  'rows latency throughput p95 cache index join table postgres sqlite benchmark regression improvement observed expected hypothesis ' +
  'result measured compared notebook page entry workflow checkpoint model lora weight strength resolution upscale detail artifact ' +
  'shadow highlight composition horizon reflection water sky cloud gradient grain fog dawn dusk portrait landscape'
).split(' ');

/** A ComfyUI API-format workflow whose nodes the generated parameters (prompt, seed, cfg, steps) match. */
const BENCH_WORKFLOW = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 1,
      steps: 20,
      cfg: 7,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lake', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'bench', images: ['8', 0] } },
};

export async function generateJournal(dir: string, o: GenerateOptions = {}): Promise<{ entries: number; images: number }> {
  const nEntries = o.entries ?? 10000;
  const nPages = Math.max(1, o.pages ?? 100);
  const nNotebooks = Math.max(1, Math.min(o.notebooks ?? 10, nPages));
  const nImages = o.images ?? 0;
  const rand = prng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentences = (n: number) => {
    const out: string[] = [];
    for (let left = n; left > 0; ) {
      const len = Math.min(left, 8 + Math.floor(rand() * 10));
      const s = words(len);
      out.push(s[0]!.toUpperCase() + s.slice(1) + '.');
      left -= len;
    }
    return out.join(' ');
  };
  const write = (rel: string, text: string | Uint8Array) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write('lab.config.yaml', 'name: Synthetic benchmark lab\n');

  const blobs: { hash: string; size: number; w: number; h: number }[] = [];
  if (nImages) {
    const sharp = (await import('sharp')).default;
    for (let i = 0; i < nImages; i++) {
      const w = 512,
        h = 384;
      const hue = Math.floor(rand() * 360);
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">` +
        `<stop offset="0" stop-color="hsl(${hue},70%,60%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,25%)"/></linearGradient></defs>` +
        `<rect width="${w}" height="${h}" fill="url(#g)"/><circle cx="${50 + rand() * 400}" cy="${80 + rand() * 150}" r="${20 + rand() * 40}" fill="hsl(${(hue + 180) % 360},80%,70%)"/>` +
        `<path d="M0 ${h * 0.7} L${w * 0.3} ${h * 0.45} L${w * 0.6} ${h * 0.65} L${w} ${h * 0.4} L${w} ${h} L0 ${h}Z" fill="hsl(${hue},30%,15%)"/></svg>`;
      const png = await sharp(Buffer.from(svg)).png().toBuffer();
      const hash = sha256(png);
      write(`content/blobs/${hash.slice(7, 9)}/${hash.slice(7)}.png`, png);
      blobs.push({ hash, size: png.length, w, h });
    }
  }

  const types = ['command', 'comfyui', 'sql', 'http', 'manual'];
  // Each type's own inputs, so the journal passes `lab check` (its inputs are validated like a run's).
  const typeInputs: Record<string, [key: string, yaml: string, value: unknown][]> = {
    command: [['command', '"python3 train.py --seed {{parameters.seed}}"', 'python3 train.py --seed {{parameters.seed}}']],
    comfyui: [['workflow', './workflow.json', './workflow.json']],
    sql: [
      ['database', '":memory:"', ':memory:'],
      ['query', '"select {{parameters.seed}} as seed"', 'select {{parameters.seed}} as seed'],
    ],
    http: [['url', '"https://example.com/api?seed={{parameters.seed}}"', 'https://example.com/api?seed={{parameters.seed}}']],
    manual: [],
  };
  const workflowText = `${JSON.stringify(BENCH_WORKFLOW, null, 2)}\n`;
  const workflowHash = sha256(Buffer.from(workflowText));
  let made = 0;
  let imageCursor = 0;
  for (let p = 0; p < nPages; p++) {
    const nb = p % nNotebooks;
    const nbDir = `content/notebooks/notebook-${String(nb).padStart(3, '0')}`;
    if (p < nNotebooks) {
      write(
        `${nbDir}/README.md`,
        `---\ntitle: "Notebook ${nb}: ${words(3)}"\ndescription: ${words(10)}\ntags: [${pick(WORDS)}, ${pick(WORDS)}]\ncolor: "#4F46E5"\nicon: "🧪"\nsettings:\n  default_entry_type: command\n  metrics: { loss: lower, accuracy: higher }\n---\n\n${sentences(60)}\n`,
      );
    }
    const pageSlug = `page-${String(p).padStart(4, '0')}`;
    const pageDir = `${nbDir}/${pageSlug}`;
    const date = new Date(Date.UTC(2024, 0, 1) + p * 86400000).toISOString().slice(0, 10);
    write(
      `${pageDir}/README.md`,
      `---\ntitle: "Page ${p}: ${words(4)}"\nid: page-${p}\ndate: ${date}\ntags: [${pick(WORDS)}]\nstatus: ${pick(['active', 'completed', 'abandoned'])}\n---\n\n## Goals\n\n${sentences(40)}\n\n## Hypothesis\n\n${sentences(30)}\n\n## Observations\n\n${sentences(80)}\n\n## Conclusions\n\n${sentences(30)}\n\n## Next Steps\n\n${sentences(20)}\n`,
    );
    write(`${pageDir}/entries/workflow.json`, workflowText);
    const perPage = Math.floor(nEntries / nPages) + (p < nEntries % nPages ? 1 : 0);
    const ids: string[] = [];
    for (let i = 0; i < perPage; i++, made++) {
      const id = `entry-${made.toString(16).padStart(12, '0')}`;
      const type = pick(types);
      const params = { prompt: words(6), seed: Math.floor(rand() * 100000), cfg: Math.round(rand() * 100) / 10, steps: 20 + Math.floor(rand() * 30) };
      const own = typeInputs[type!]!;
      const inputs = { ...Object.fromEntries(own.map(([k, , v]) => [k, v])), parameters: params };
      const files: Record<string, string> = type === 'comfyui' ? { './workflow.json': workflowHash } : {};
      const lines = [
        `id: ${id}`,
        `title: "${words(4)} #${i}"`,
        `type: ${type}`,
        `created: ${date}T${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
        `tags: [${pick(WORDS)}, ${pick(WORDS)}]`,
      ];
      if (ids.length && rand() < 0.6) lines.push(`parent: ${pick(ids.slice(-10))}`);
      if (ids.length && rand() < 0.3) lines.push(`variation_of: ${ids[ids.length - 1]}`);
      if (rand() < 0.5) lines.push(`rating: ${1 + Math.floor(rand() * 5)}`);
      lines.push(
        'inputs:',
        ...own.map(([k, yaml]) => `  ${k}: ${yaml}`),
        '  parameters:',
        `    prompt: "${params.prompt}"`,
        `    seed: ${params.seed}`,
        `    cfg: ${params.cfg}`,
        `    steps: ${params.steps}`,
      );
      if (rand() < 0.7) {
        lines.push(
          'status: completed',
          'execution:',
          `  started_at: ${date}T10:00:00Z`,
          `  completed_at: ${date}T10:00:12Z`,
          '  duration_seconds: 12.4',
          '  exit_code: 0',
          `  inputs_hash: "${computeInputsHash(inputs, files)}"`,
          '  runner: { name: lab, version: 0.1.0 }',
          '  host: bench',
        );
        lines.push('metrics:', `  loss: ${Math.round(rand() * 1000) / 1000}`, `  accuracy: ${Math.round(rand() * 1000) / 1000}`);
        if (blobs.length && imageCursor < nImages * 3) {
          const b = blobs[imageCursor++ % blobs.length]!;
          lines.push('artifacts:', `  - { name: image-001.png, hash: "${b.hash}", type: image/png, size_bytes: ${b.size}, width: ${b.w}, height: ${b.h} }`);
        }
      } else lines.push('status: created');
      write(`${pageDir}/entries/${String(i + 1).padStart(3, '0')}-entry-${i}.md`, `---\n${lines.join('\n')}\n---\n\n${sentences(200)}\n`);
      ids.push(id);
    }
  }
  return { entries: made, images: blobs.length };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { entries: { type: 'string' }, pages: { type: 'string' }, notebooks: { type: 'string' }, images: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node scripts/generate-journal.ts <dir> [--entries N] [--pages N] [--notebooks N] [--images N]');
    process.exit(2);
  }
  const n = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const r = await generateJournal(path.resolve(positionals[0]!), {
    entries: n(values.entries),
    pages: n(values.pages),
    notebooks: n(values.notebooks),
    images: n(values.images),
  });
  console.log(`generated ${r.entries} entries and ${r.images} images in ${positionals[0]}`);
}
