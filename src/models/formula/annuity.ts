/**
 * Annuity factor A(r, n) = (1 - (1 + r)^-n) / r: the present value of 1 paid at the end of each of n
 * periods at discount rate r per period (DOMAIN.md 4.2). A(0, n) = n, the limit as r -> 0.
 *
 * @example annuityFactor(0.09, 5) // 3.889651...
 */
export function annuityFactor(rate: number, periods: number): number {
  if (!Number.isFinite(rate) || rate <= -1) throw new RangeError(`discount rate must be > -1, got ${rate}`);
  if (!Number.isFinite(periods) || periods < 0) throw new RangeError(`periods must be >= 0, got ${periods}`);
  // Near r = 0 the closed form loses digits to cancellation; -expm1(-n log1p(r)) / r keeps them.
  if (Math.abs(rate) < 1e-12) return periods;
  return -Math.expm1(-periods * Math.log1p(rate)) / rate;
}
