// Encodes one render as a WebP thumbnail the way src/site/thumbnails.ts does (resize to
// LAB_PARAM_WIDTH, then .webp({ quality, effort })) and measures what the choice costs:
// bytes, fidelity against the resized original (PSNR over RGB), and encode time.
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

const param = (name) => process.env[`LAB_PARAM_${name}`];
const quality = Number(param('QUALITY'));
const effort = Number(param('EFFORT'));
const width = Number(param('WIDTH'));
const image = param('IMAGE');

const reference = await sharp(image).resize({ width }).removeAlpha().raw().toBuffer();
const encode = () => sharp(image).resize({ width }).webp({ quality, effort }).toBuffer();
await encode(); // warm-up: the first call loads libvips' WebP codec
const rounds = 5;
const started = performance.now();
let webp;
for (let i = 0; i < rounds; i++) webp = await encode();
const encodeMs = (performance.now() - started) / rounds;
const decoded = await sharp(webp).removeAlpha().raw().toBuffer();
let squared = 0;
for (let i = 0; i < reference.length; i++) squared += (reference[i] - decoded[i]) ** 2;
const psnr = 10 * Math.log10((255 * 255) / (squared / reference.length));

const metrics = { webp_bytes: webp.length, psnr_db: Number(psnr.toFixed(3)), encode_ms: Number(encodeMs.toFixed(2)) };
writeFileSync(process.env.LAB_METRICS_FILE, JSON.stringify(metrics));
console.log(`q${quality} effort ${effort} @ ${width}px: ${metrics.webp_bytes} bytes, PSNR ${metrics.psnr_db} dB, ${metrics.encode_ms} ms`);
