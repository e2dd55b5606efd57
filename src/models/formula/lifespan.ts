/**
 * Customer-base lifespan T = N / M (DOMAIN.md 4.2): N customers, M customers lost per year; the average
 * customer stays T years.
 *
 * @example customerBaseLifespan(10000, 2500) // 4
 */
export function customerBaseLifespan(customers: number, lostPerYear: number): number {
  if (!(customers >= 0)) throw new RangeError(`customers must be >= 0, got ${customers}`);
  if (!(lostPerYear > 0)) throw new RangeError(`customers lost per year must be > 0, got ${lostPerYear}`);
  return customers / lostPerYear;
}

/** Customer equity (客户资产): the sum of the CLV of every customer of the base. */
export function customerEquity(clvs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < clvs.length; i++) sum += clvs[i]!;
  return sum;
}
