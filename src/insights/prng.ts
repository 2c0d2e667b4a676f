/**
 * The seeded generator every random choice in insights and sweeps uses, so the
 * same journal and seed always give the same bytes. mulberry32 (the one
 * scripts/prng.ts shares with the generators): tiny and well distributed.
 */
import { createHash } from 'node:crypto';

/** mulberry32: floats in [0, 1) from a 32-bit seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed from text: each test gets its own stream keyed by what it tests,
 * so adding a metric or parameter never changes another one's p-value.
 */
export function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

/** Fisher–Yates shuffle in place, driven by `rand`. */
export function shuffleInPlace<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}
