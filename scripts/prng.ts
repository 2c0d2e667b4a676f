/** mulberry32: a tiny, well-distributed 32-bit PRNG. Returns floats in [0, 1). Shared by the generators (kept in src/insights/prng.ts). */
export { prng } from '../src/insights/prng.ts';
