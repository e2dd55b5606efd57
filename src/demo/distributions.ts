/** Sampling helpers on top of `Rng`. */
import type { Rng } from './prng.js';

/** Standard normal by Box-Muller (one value per call, so the draw count per call is fixed). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal noise with mean 1: exp(sigma * Z - sigma^2 / 2). */
export function noise(rng: Rng, sigma: number): number {
  return Math.exp(sigma * normal(rng) - (sigma * sigma) / 2);
}

/** Cumulative sums of weights, for `pickIndex`. */
export function cumulative(weights: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) out.push((sum += w));
  return out;
}

/** Index drawn with probability proportional to the weights behind `cum` (from `cumulative`). */
export function pickIndex(rng: Rng, cum: readonly number[]): number {
  const x = rng.next() * cum[cum.length - 1]!;
  for (let i = 0; i < cum.length - 1; i++) if (x < cum[i]!) return i;
  return cum.length - 1;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Round to cents. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
