/**
 * The sample journal's images: which scene, which "look", and which manual
 * entry records it. The looks imitate what classifier-free guidance does to an
 * SDXL render — low CFG comes out soft and washed, high CFG oversaturated and
 * banded — so the cfg sweep's side-by-side comparison shows a real difference.
 */
import sharp from 'sharp';
import { landscapeSvg, portraitSvg } from './scenes.ts';

/** How a render is post-processed. */
type Look = 'neutral' | 'cfg-low' | 'cfg-high' | 'graded';

/** One image of the sample journal and the entry that records it. */
export interface RenderSpec {
  /** File name shown on the site. */
  name: string;
  /** Entry file (workspace-relative) whose `artifacts` list holds it, in list order. */
  entry: string;
  svg: () => string;
  look: Look;
}

const IMG = 'content/notebooks/image-generation';

const sunset = () => landscapeSvg({ seed: 42, size: 512, palette: 'sunset', sunX: 0.62, horizon: 0.6 });

export const RENDERS: RenderSpec[] = [
  { name: 'lake-sunset_cfg7_seed42.png', entry: `${IMG}/lake-sunset-cfg-sweep/entries/004-render-cfg-7.md`, svg: sunset, look: 'neutral' },
  { name: 'lake-sunset_cfg4.5_seed42.png', entry: `${IMG}/lake-sunset-cfg-sweep/entries/005-render-cfg-4-5.md`, svg: sunset, look: 'cfg-low' },
  { name: 'lake-sunset_cfg11_seed42.png', entry: `${IMG}/lake-sunset-cfg-sweep/entries/006-render-cfg-11.md`, svg: sunset, look: 'cfg-high' },
  { name: 'lake-sunset_cfg7_seed42_graded.png', entry: `${IMG}/lake-sunset-cfg-sweep/entries/007-keeper-graded.md`, svg: sunset, look: 'graded' },
  {
    name: 'alpine-dawn_seed42.png',
    entry: `${IMG}/alpine-dawn-seed-stability/entries/003-renders-seed-42-vs-1337.md`,
    svg: () => landscapeSvg({ seed: 42, size: 512, palette: 'dawn', sunX: 0.3, horizon: 0.62 }),
    look: 'neutral',
  },
  {
    name: 'alpine-dawn_seed1337.png',
    entry: `${IMG}/alpine-dawn-seed-stability/entries/003-renders-seed-42-vs-1337.md`,
    svg: () => landscapeSvg({ seed: 1337, size: 512, palette: 'dawn', sunX: 0.3, horizon: 0.62 }),
    look: 'neutral',
  },
  {
    name: 'portrait_rembrandt_832x1216-preview.png',
    entry: `${IMG}/portrait-backlight/entries/002-preview-rembrandt.md`,
    svg: () => portraitSvg({ width: 352, height: 512, lighting: 'rembrandt' }),
    look: 'neutral',
  },
  {
    name: 'portrait_backlight_832x1216-preview.png',
    entry: `${IMG}/portrait-backlight/entries/004-preview-backlight.md`,
    svg: () => portraitSvg({ width: 352, height: 512, lighting: 'backlight' }),
    look: 'neutral',
  },
];

/** A dark-edged radial mask multiplied over the graded render. */
function vignette(width: number, height: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>` +
      `<radialGradient id="v" r="0.75"><stop offset="0.55" stop-color="#fff"/><stop offset="1" stop-color="#5a4a44"/></radialGradient>` +
      `</defs><rect width="${width}" height="${height}" fill="url(#v)"/></svg>`,
  );
}

/** Renders one spec to PNG bytes with its metadata. */
export async function renderPng(spec: RenderSpec): Promise<{ png: Buffer; width: number; height: number }> {
  // Rasterise first so every look starts from the same pixels.
  const base = await sharp(Buffer.from(spec.svg())).removeAlpha().png().toBuffer();
  let img = sharp(base);
  let colors = 128;
  let dither = 0.5;
  switch (spec.look) {
    case 'cfg-low':
      img = img.modulate({ saturation: 0.7, brightness: 1.04 }).linear(0.8, 28).blur(1.4);
      colors = 96;
      break;
    case 'cfg-high':
      img = img.modulate({ saturation: 1.75 }).linear(1.35, -40).sharpen({ sigma: 1.5 });
      colors = 22; // posterised sky: the banding that high CFG produces
      dither = 0;
      break;
    case 'graded': {
      const { width, height } = await sharp(base).metadata();
      img = img
        .linear([1.07, 1.0, 0.9], [6, 2, -6])
        .modulate({ saturation: 1.12 })
        .composite([{ input: vignette(width ?? 512, height ?? 512), blend: 'multiply' }]);
      colors = 160;
      break;
    }
    case 'neutral':
      break;
  }
  const { data, info } = await img.png({ compressionLevel: 9, palette: true, colors, dither, effort: 10 }).toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}
