/**
 * The spend-share model (DOMAIN.md 4.2): CLV = sum over t = 1..T of F_t S_t R_t / (1 + r)^t, with F_t the
 * expected category purchases in period t, S_t the brand's expected share of them and R_t the average
 * contribution per purchase. Arrays give one value per period; a shorter array repeats its last value.
 *
 * @example spendShareClv({ purchases: [10], share: [0.5], contribution: [20], rate: 0, periods: 3 }) // 300
 */
export function spendShareClv(inputs: {
  readonly purchases: readonly number[];
  readonly share: readonly number[];
  readonly contribution: readonly number[];
  readonly rate: number;
  readonly periods?: number;
}): number {
  const periods =
    inputs.periods ?? Math.max(inputs.purchases.length, inputs.share.length, inputs.contribution.length);
  const at = (xs: readonly number[], t: number, name: string): number => {
    if (xs.length === 0) throw new RangeError(`${name} needs at least one value`);
    return xs[Math.min(t, xs.length - 1)]!;
  };
  let clv = 0;
  for (let t = 1; t <= periods; t++) {
    const i = t - 1;
    clv +=
      (at(inputs.purchases, i, 'purchases') *
        at(inputs.share, i, 'share') *
        at(inputs.contribution, i, 'contribution')) /
      Math.pow(1 + inputs.rate, t);
  }
  return clv;
}
