/**
 * The cohort lifetime-value table (Hughes style, DOMAIN.md 4.2): follow a cohort of acquired customers year
 * by year and discount each year's profit. Every computed column can be overridden per year.
 *
 * Conventions (stated because sources differ):
 * - customers in year 1 = the cohort; customers in year k+1 = customers in year k x retention rate of year k;
 * - revenue = customers x orders per customer x average order value;
 * - variable costs = revenue x variable cost rate; marketing cost = customers x marketing cost per customer;
 *   the acquisition cost (cohort x cost per customer) is charged in year 1;
 * - gross profit = revenue - variable costs - marketing cost (- acquisition cost in year 1);
 * - discount factor = (1 + i x risk)^(year - 1), NPV profit = gross profit / discount factor;
 * - lifetime value per acquired customer = cumulative NPV / cohort size.
 */
export interface CohortYearInput {
  readonly retentionRate: number;
  readonly ordersPerCustomer: number;
  readonly averageOrderValue: number;
  /** Variable costs as a share of revenue (e.g. 0.7). */
  readonly variableCostRate: number;
  /** Yearly marketing / service cost per customer (e.g. 20). */
  readonly marketingCostPerCustomer: number;
  /** Overrides of computed columns for this year. */
  readonly customers?: number;
  readonly revenue?: number;
  readonly variableCosts?: number;
  readonly discountFactor?: number;
}

export interface CohortConfig {
  readonly acquired: number;
  readonly acquisitionCostPerCustomer: number;
  /** Yearly interest rate i. */
  readonly discountRate: number;
  /** Risk factor multiplying the rate (1 = none). */
  readonly riskFactor?: number;
  readonly years: readonly CohortYearInput[];
}

export interface CohortYearRow {
  readonly year: number;
  readonly retentionRate: number;
  readonly customers: number;
  readonly ordersPerCustomer: number;
  readonly averageOrderValue: number;
  readonly revenue: number;
  readonly variableCosts: number;
  readonly marketingCost: number;
  readonly acquisitionCost: number;
  readonly totalCosts: number;
  readonly grossProfit: number;
  readonly discountFactor: number;
  readonly npvProfit: number;
  readonly cumulativeNpv: number;
  readonly lifetimeValuePerCustomer: number;
}

/** @example cohortValueTable(config).at(-1)!.lifetimeValuePerCustomer */
export function cohortValueTable(config: CohortConfig): CohortYearRow[] {
  if (!(config.acquired > 0)) throw new RangeError('acquired must be > 0');
  if (config.years.length === 0) throw new RangeError('the cohort table needs at least one year');
  const rate = config.discountRate * (config.riskFactor ?? 1);
  const rows: CohortYearRow[] = [];
  let customers = config.acquired;
  let cumulativeNpv = 0;
  config.years.forEach((y, index) => {
    const year = index + 1;
    customers = y.customers ?? customers;
    const revenue = y.revenue ?? customers * y.ordersPerCustomer * y.averageOrderValue;
    const variableCosts = y.variableCosts ?? revenue * y.variableCostRate;
    const marketingCost = customers * y.marketingCostPerCustomer;
    const acquisitionCost = year === 1 ? config.acquired * config.acquisitionCostPerCustomer : 0;
    const totalCosts = variableCosts + marketingCost + acquisitionCost;
    const grossProfit = revenue - totalCosts;
    const discountFactor = y.discountFactor ?? Math.pow(1 + rate, year - 1);
    const npvProfit = grossProfit / discountFactor;
    cumulativeNpv += npvProfit;
    rows.push({
      year,
      retentionRate: y.retentionRate,
      customers,
      ordersPerCustomer: y.ordersPerCustomer,
      averageOrderValue: y.averageOrderValue,
      revenue,
      variableCosts,
      marketingCost,
      acquisitionCost,
      totalCosts,
      grossProfit,
      discountFactor,
      npvProfit,
      cumulativeNpv,
      lifetimeValuePerCustomer: cumulativeNpv / config.acquired,
    });
    customers = customers * y.retentionRate;
  });
  return rows;
}
