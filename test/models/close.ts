import { expect } from 'vitest';

/** Relative difference |actual - expected| / |expected| (absolute when expected is 0). */
export function relErr(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/** Assert that actual is within a relative tolerance of expected. */
export function expectRel(actual: number, expected: number, tol: number, what = ''): void {
  const e = relErr(actual, expected);
  if (!(e <= tol)) {
    expect.fail(`${what} actual ${actual} expected ${expected}: relative error ${e} > ${tol}`);
  }
}
