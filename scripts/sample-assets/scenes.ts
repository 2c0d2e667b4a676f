/**
 * Procedural "renders" for the sample journal: SVG scenes drawn from a seeded
 * PRNG, so the same seed always gives the same picture (and the same blob hash
 * for a given sharp/librsvg build). They stand in for SDXL outputs that were
 * copied off the GPU box by hand, so the site has real images to thumbnail and
 * compare.
 */

import { prng } from '../prng.ts';

export { prng };

const f1 = (n: number) => n.toFixed(1);

/** A ridge line by midpoint displacement: `2^depth + 1` heights across the width. */
function ridge(rand: () => number, depth: number, base: number, amplitude: number, roughness: number): number[] {
  const n = 2 ** depth;
  const ys = new Array<number>(n + 1).fill(0);
  ys[0] = base + (rand() - 0.5) * amplitude;
  ys[n] = base + (rand() - 0.5) * amplitude;
  let step = n;
  let amp = amplitude;
  while (step > 1) {
    const half = step / 2;
    for (let i = half; i < n; i += step) {
      ys[i] = (ys[i - half]! + ys[i + half]!) / 2 + (rand() - 0.5) * amp;
    }
    amp *= roughness;
    step = half;
  }
  return ys;
}

/** Closed polygon path from a ridge down to `bottom`. */
function ridgePath(ys: number[], width: number, bottom: number): string {
  const dx = width / (ys.length - 1);
  const pts = ys.map((y, i) => `${f1(i * dx)},${f1(y)}`);
  return `M0,${f1(bottom)} L${pts.join(' L')} L${f1(width)},${f1(bottom)} Z`;
}

/** Pine-tree silhouettes along a shoreline. */
function pines(rand: () => number, width: number, shoreY: number, count: number, fill: string): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const x = rand() * width;
    const h = 18 + rand() * 46;
    const w = h * (0.28 + rand() * 0.1);
    const y = shoreY + rand() * 6;
    out += `<path d="M${f1(x)},${f1(y - h)} L${f1(x - w / 2)},${f1(y)} L${f1(x + w / 2)},${f1(y)} Z" fill="${fill}"/>`;
  }
  return out;
}

/** Soft cloud banks as blurred ellipses. */
function clouds(rand: () => number, width: number, top: number, bottom: number, count: number, fill: string): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const cx = rand() * width;
    const cy = top + rand() * (bottom - top);
    const rx = 40 + rand() * 90;
    const ry = 5 + rand() * 10;
    out += `<ellipse cx="${f1(cx)}" cy="${f1(cy)}" rx="${f1(rx)}" ry="${f1(ry)}" fill="${fill}" opacity="${(0.35 + rand() * 0.4).toFixed(2)}"/>`;
  }
  return `<g filter="url(#soft)">${out}</g>`;
}

/** Horizontal ripple highlights on water. */
function ripples(rand: () => number, width: number, top: number, bottom: number, count: number, color: string): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const y = top + (bottom - top) * Math.pow(rand(), 1.6);
    const len = 10 + rand() * 60 * ((y - top) / (bottom - top) + 0.3);
    const x = rand() * width;
    out += `<rect x="${f1(x)}" y="${f1(y)}" width="${f1(len)}" height="1.2" fill="${color}" opacity="${(0.15 + rand() * 0.35).toFixed(2)}"/>`;
  }
  return out;
}

/** Palette of a scene: sky stops top → horizon, sun colour, mountain layers back → front, water tint. */
interface Palette {
  sky: [string, string, string, string];
  sun: string;
  glow: string;
  cloud: string;
  layers: string[];
  water: string;
  shore: string;
  snow?: string;
}

const SUNSET: Palette = {
  sky: ['#1d2a5b', '#7a3b6e', '#e8743b', '#fbd27a'],
  sun: '#fff1c1',
  glow: '#ffb35c',
  cloud: '#f49a7a',
  layers: ['#8a5a78', '#5b3a5e', '#33233f'],
  water: '#2a3566',
  shore: '#120d1a',
};

const DAWN: Palette = {
  sky: ['#3d5a8a', '#8fa9cf', '#f2c1c6', '#fde6cf'],
  sun: '#fff8e8',
  glow: '#ffd9c2',
  cloud: '#fbe3e8',
  layers: ['#a9b7d6', '#7088b3', '#3d4f78'],
  water: '#4a6492',
  shore: '#18203a',
  snow: '#f4f6fb',
};

/** Options for a lake/mountain landscape. */
export interface LandscapeOptions {
  seed: number;
  size: number;
  palette: 'sunset' | 'dawn';
  /** Sun position across the width, 0..1. */
  sunX: number;
  /** Horizon height as a fraction of the image. */
  horizon: number;
}

/** A lake with mountain ridges, sun, clouds, reflection and a pine shoreline, as SVG text. */
export function landscapeSvg(o: LandscapeOptions): string {
  const rand = prng(o.seed);
  const p = o.palette === 'sunset' ? SUNSET : DAWN;
  const W = o.size;
  const H = o.size;
  const hy = H * o.horizon;
  const sunX = W * o.sunX;
  const sunY = hy - H * (o.palette === 'sunset' ? 0.2 : 0.3);
  const sunR = W * (o.palette === 'sunset' ? 0.07 : 0.045);

  const layerCount = p.layers.length;
  let mountains = '';
  for (let i = 0; i < layerCount; i++) {
    const peakiness = o.palette === 'dawn' ? 1.7 : 1;
    const base = hy - H * (0.2 - i * 0.055) * peakiness;
    const ys = ridge(rand, 6, base, H * (0.22 - i * 0.05) * peakiness, 0.55).map((y) => Math.min(y, hy - 2));
    mountains += `<path d="${ridgePath(ys, W, hy + 1)}" fill="${p.layers[i]}"/>`;
    if (p.snow && i === 0) {
      // Snow caps: the ridge again, clipped to a band just under the highest points.
      const top = Math.min(...ys);
      mountains += `<clipPath id="snowband"><rect x="0" y="${f1(top)}" width="${W}" height="${f1(H * 0.05)}"/></clipPath>`;
      mountains += `<path d="${ridgePath(ys, W, hy + 1)}" fill="${p.snow}" opacity="0.85" clip-path="url(#snowband)"/>`;
    }
  }

  const sky =
    `<rect width="${W}" height="${f1(hy)}" fill="url(#sky)"/>` +
    `<circle cx="${f1(sunX)}" cy="${f1(sunY)}" r="${f1(sunR * 3.2)}" fill="url(#glow)"/>` +
    `<circle cx="${f1(sunX)}" cy="${f1(sunY)}" r="${f1(sunR)}" fill="${p.sun}"/>` +
    clouds(rand, W, H * 0.08, hy - H * 0.12, 9, p.cloud);

  // The reflection is the sky and mountains mirrored at the horizon, darkened and tinted.
  const reflection =
    `<g transform="translate(0 ${f1(2 * hy)}) scale(1 -1)" opacity="0.55" filter="url(#wobble)">${sky}${mountains}</g>` +
    `<rect y="${f1(hy)}" width="${W}" height="${f1(H - hy)}" fill="${p.water}" opacity="0.4"/>` +
    `<rect x="${f1(sunX - sunR * 0.9)}" y="${f1(hy)}" width="${f1(sunR * 1.8)}" height="${f1(H - hy)}" fill="url(#glitter)" opacity="0.5" filter="url(#soft)"/>` +
    ripples(rand, W, hy + 2, H, 140, p.sun);

  const shoreY = H * 0.9;
  const shore =
    `<path d="${ridgePath(ridge(rand, 5, shoreY, H * 0.03, 0.5), W, H)}" fill="${p.shore}"/>` +
    pines(rand, W * 0.45, shoreY + 4, 14, p.shore) +
    `<g transform="translate(${f1(W * 0.7)} 0)">${pines(rand, W * 0.3, shoreY + 6, 8, p.shore)}</g>`;

  const defs =
    `<defs>` +
    `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="${p.sky[0]}"/><stop offset="0.45" stop-color="${p.sky[1]}"/>` +
    `<stop offset="0.8" stop-color="${p.sky[2]}"/><stop offset="1" stop-color="${p.sky[3]}"/></linearGradient>` +
    `<radialGradient id="glow"><stop offset="0" stop-color="${p.glow}" stop-opacity="0.9"/>` +
    `<stop offset="1" stop-color="${p.glow}" stop-opacity="0"/></radialGradient>` +
    `<linearGradient id="glitter" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.sun}"/>` +
    `<stop offset="1" stop-color="${p.sun}" stop-opacity="0"/></linearGradient>` +
    `<filter id="soft" x="-20%" y="-50%" width="140%" height="200%"><feGaussianBlur stdDeviation="6"/></filter>` +
    `<filter id="wobble"><feTurbulence type="fractalNoise" baseFrequency="0.002 0.09" numOctaves="2" seed="${o.seed % 1000}"/>` +
    `<feDisplacementMap in="SourceGraphic" scale="10" xChannelSelector="R" yChannelSelector="G"/></filter>` +
    `</defs>`;

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${defs}${sky}${mountains}${reflection}${shore}</svg>`;
}

/** Options for a head-and-shoulders portrait study. */
export interface PortraitOptions {
  width: number;
  height: number;
  lighting: 'rembrandt' | 'backlight';
}

/**
 * A head-and-shoulders silhouette lit two ways: Rembrandt (key light high on the
 * left, a lit triangle on the shadow cheek) or backlight / 逆光 (a bright window
 * behind, a rim of light around a dark face).
 */
export function portraitSvg(o: PortraitOptions): string {
  const W = o.width;
  const H = o.height;
  const cx = W * 0.5;
  const headY = H * 0.4;
  const rx = W * 0.2;
  const ry = H * 0.16;
  const head = `<ellipse cx="${f1(cx)}" cy="${f1(headY)}" rx="${f1(rx)}" ry="${f1(ry)}"/>`;
  const neck = `<rect x="${f1(cx - rx * 0.5)}" y="${f1(headY + ry * 0.6)}" width="${f1(rx)}" height="${f1(H * 0.66 - headY - ry * 0.6)}"/>`;
  const shoulders = `<path d="M${f1(W * 0.02)},${f1(H)} C${f1(W * 0.05)},${f1(H * 0.68)} ${f1(W * 0.3)},${f1(H * 0.63)} ${f1(cx)},${f1(H * 0.62)} C${f1(W * 0.7)},${f1(H * 0.63)} ${f1(W * 0.95)},${f1(H * 0.68)} ${f1(W * 0.98)},${f1(H)} Z"/>`;
  const hair = `<path d="M${f1(cx - rx * 1.05)},${f1(headY)} C${f1(cx - rx * 1.1)},${f1(headY - ry * 1.35)} ${f1(cx + rx * 1.1)},${f1(headY - ry * 1.35)} ${f1(cx + rx * 1.05)},${f1(headY)} C${f1(cx + rx * 0.7)},${f1(headY - ry * 0.7)} ${f1(cx - rx * 0.7)},${f1(headY - ry * 0.7)} ${f1(cx - rx * 1.05)},${f1(headY)} Z"/>`;
  const figure = `${neck}${shoulders}${head}`;

  if (o.lighting === 'rembrandt') {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><defs>` +
      `<radialGradient id="bg" cx="0.3" cy="0.3" r="0.9"><stop offset="0" stop-color="#4a4038"/><stop offset="1" stop-color="#14110f"/></radialGradient>` +
      `<linearGradient id="key" x1="0" y1="0" x2="1" y2="0.35"><stop offset="0" stop-color="#f1c9a5"/><stop offset="0.5" stop-color="#b9825e"/>` +
      `<stop offset="0.62" stop-color="#3a2619"/><stop offset="1" stop-color="#1c120c"/></linearGradient>` +
      `<linearGradient id="cloth" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#3d4a5c"/><stop offset="1" stop-color="#0f1318"/></linearGradient>` +
      `<filter id="soft"><feGaussianBlur stdDeviation="3"/></filter></defs>` +
      `<rect width="${W}" height="${H}" fill="url(#bg)"/>` +
      `<g fill="url(#cloth)">${shoulders}</g><g fill="url(#key)">${neck}${head}</g>` +
      // The Rembrandt triangle: light spilling over the nose onto the far cheek.
      `<path d="M${f1(cx + rx * 0.12)},${f1(headY - ry * 0.05)} L${f1(cx + rx * 0.55)},${f1(headY + ry * 0.05)} L${f1(cx + rx * 0.18)},${f1(headY + ry * 0.45)} Z" fill="#c8926a" opacity="0.8" filter="url(#soft)"/>` +
      `<g fill="#1a120d">${hair}</g></svg>`
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><defs>` +
    `<radialGradient id="bg" cx="0.55" cy="0.35" r="0.75"><stop offset="0" stop-color="#fff6e0"/><stop offset="0.35" stop-color="#f2c27d"/>` +
    `<stop offset="1" stop-color="#5a3b2a"/></radialGradient>` +
    `<filter id="rim" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="5"/></filter></defs>` +
    `<rect width="${W}" height="${H}" fill="url(#bg)"/>` +
    `<g fill="none" stroke="#fff3d6" stroke-width="9" filter="url(#rim)">${figure}${hair}</g>` +
    `<g fill="#2b1f1a">${figure}</g><g fill="#120c09">${hair}</g></svg>`
  );
}
