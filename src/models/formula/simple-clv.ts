/**
 * The simple model (DOMAIN.md 4.2): CLV = average order value (or profit per order) x purchases per year x
 * expected lifespan in years - acquisition cost, undiscounted.
 *
 * @example simpleClv({ averageOrderValue: 100, purchasesPerYear: 24, lifespanYears: 20 }) // 48000
 */
export function simpleClv(inputs: {
  readonly averageOrderValue: number;
  readonly purchasesPerYear: number;
  readonly lifespanYears: number;
  readonly acquisitionCost?: number;
}): number {
  return (
    inputs.averageOrderValue * inputs.purchasesPerYear * inputs.lifespanYears - (inputs.acquisitionCost ?? 0)
  );
}
