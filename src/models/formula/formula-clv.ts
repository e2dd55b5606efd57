import { annuityFactor } from './annuity.js';

/** Inputs of the three formula models of DOMAIN.md 4.2 (yearly amounts, rate per year). */
export interface FormulaClvInputs {
  /** First purchase price P0 (revenue and profit models). */
  readonly firstPurchase?: number;
  /** Acquisition cost C0 (profit model). */
  readonly acquisitionCost?: number;
  /** Yearly revenue from the customer, In. */
  readonly yearlyRevenue: number;
  /** Yearly direct cost to serve, Cs (profit and contribution models). */
  readonly yearlyCost?: number;
  /** Discount rate r per year, e.g. 0.09. */
  readonly rate: number;
  /** Loyal years n. */
  readonly years: number;
}

export type FormulaModel = 'revenue' | 'profit' | 'contribution';

export interface FormulaClvResult {
  readonly model: FormulaModel;
  readonly clv: number;
  readonly annuityFactor: number;
  readonly inputs: FormulaClvInputs;
}

/**
 * CLV by the revenue, profit or contribution model (DOMAIN.md 4.2), with A = A(r, n):
 * revenue CLV = P0 + In A; profit CLV = P0 - C0 + (In - Cs) A; contribution CLV = (In - Cs) A.
 *
 * @example formulaClv('profit', { firstPurchase: 2000, acquisitionCost: 400, yearlyRevenue: 500,
 *   yearlyCost: 10, rate: 0.09, years: 5 }).clv // 3505.93...
 */
export function formulaClv(model: FormulaModel, inputs: FormulaClvInputs): FormulaClvResult {
  const a = annuityFactor(inputs.rate, inputs.years);
  const p0 = inputs.firstPurchase ?? 0;
  const c0 = inputs.acquisitionCost ?? 0;
  const cs = inputs.yearlyCost ?? 0;
  const clv =
    model === 'revenue'
      ? p0 + inputs.yearlyRevenue * a
      : model === 'profit'
        ? p0 - c0 + (inputs.yearlyRevenue - cs) * a
        : (inputs.yearlyRevenue - cs) * a;
  return { model, clv, annuityFactor: a, inputs };
}
