import { expect } from 'vitest';
import { relErr } from '../close.js';

/** KM and log-rank against R: relative (absolute where R's value is 0), stricter than the 1e-6 bar. */
export const TOL_KM = 1e-9;
/** Cox fit, concordance and cox.zph against R: relative, stricter than the 1e-4 bar. */
export const TOL_COX = 1e-7;

/**
 * Element-wise comparison with a relative tolerance (absolute when the expected value is 0); NaN expects
 * NaN (R's NA), infinities must match exactly.
 */
export function expectAll(
  actual: ArrayLike<number>,
  expected: readonly number[],
  tol: number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const err = relErr(a, e);
    if (!(err <= tol))
      expect.fail(`${what}[${i}]: actual ${a} expected ${e}, relative error ${err} > ${tol}`);
  }
}
