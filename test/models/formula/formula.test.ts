// DOMAIN.md 4.2 worked examples (acceptance tests), checked by hand: A(9%, 5) = (1 - 1.09^-5) / 0.09.
import { describe, expect, it } from 'vitest';
import { annuityFactor } from '../../../src/models/formula/annuity.js';
import { formulaClv } from '../../../src/models/formula/formula-clv.js';
import { simpleClv } from '../../../src/models/formula/simple-clv.js';
import { spendShareClv } from '../../../src/models/formula/spend-share-clv.js';
import { customerBaseLifespan, customerEquity } from '../../../src/models/formula/lifespan.js';
import { cohortValueTable } from '../../../src/models/formula/cohort-table.js';

const round2 = (v: number) => Math.round(v * 100) / 100;

describe('formula CLV models', () => {
  it('example 4.2.a: A = 3.889651, revenue model 3944.83, profit model 3505.93', () => {
    const inputs = {
      firstPurchase: 2000,
      acquisitionCost: 400,
      yearlyRevenue: 500,
      yearlyCost: 10,
      rate: 0.09,
      years: 5,
    };
    expect(annuityFactor(0.09, 5)).toBeCloseTo(3.889651, 6);
    expect(round2(formulaClv('revenue', inputs).clv)).toBe(3944.83);
    expect(round2(formulaClv('profit', inputs).clv)).toBe(3505.93);
  });

  it('example 4.2.b: contribution model A 1166.90, B 1361.38', () => {
    const a = formulaClv('contribution', { yearlyRevenue: 500, yearlyCost: 200, rate: 0.09, years: 5 });
    const b = formulaClv('contribution', { yearlyRevenue: 450, yearlyCost: 100, rate: 0.09, years: 5 });
    expect(round2(a.clv)).toBe(1166.9);
    expect(round2(b.clv)).toBe(1361.38);
    expect(b.clv).toBeGreaterThan(a.clv);
  });

  it('annuity factor: r -> 0 limit is n, and no cancellation near 0', () => {
    expect(annuityFactor(0, 7)).toBe(7);
    expect(annuityFactor(1e-9, 5)).toBeCloseTo(5 - 15e-9, 12); // series: n - n(n+1)/2 r
    expect(() => annuityFactor(-1, 5)).toThrow(RangeError);
  });

  it('simple model: 100 per purchase, 2 a month, 20 years = 48,000', () => {
    expect(simpleClv({ averageOrderValue: 100, purchasesPerYear: 24, lifespanYears: 20 })).toBe(48000);
    expect(
      simpleClv({ averageOrderValue: 100, purchasesPerYear: 24, lifespanYears: 20, acquisitionCost: 500 }),
    ).toBe(47500);
  });

  it('spend-share model discounts each period', () => {
    // 10 purchases x 50% x 20 = 100 a period; at 10%: 100/1.1 + 100/1.21 = 173.553719...
    expect(
      spendShareClv({ purchases: [10], share: [0.5], contribution: [20], rate: 0.1, periods: 2 }),
    ).toBeCloseTo(100 / 1.1 + 100 / 1.21, 10);
    expect(spendShareClv({ purchases: [10, 12], share: [0.5, 0.25], contribution: [20], rate: 0 })).toBe(
      100 + 60,
    );
  });

  it('lifespan T = N / M and customer equity', () => {
    expect(customerBaseLifespan(10000, 2500)).toBe(4);
    expect(customerEquity([1, 2.5, 3])).toBe(6.5);
    expect(() => customerBaseLifespan(10, 0)).toThrow(RangeError);
  });
});

describe('cohort value table (Hughes)', () => {
  const config = {
    acquired: 10000,
    acquisitionCostPerCustomer: 60,
    discountRate: 0.1,
    riskFactor: 1.5,
    years: [
      {
        retentionRate: 0.4,
        ordersPerCustomer: 1.8,
        averageOrderValue: 90,
        variableCostRate: 0.7,
        marketingCostPerCustomer: 20,
      },
      {
        retentionRate: 0.5,
        ordersPerCustomer: 2.5,
        averageOrderValue: 95,
        variableCostRate: 0.65,
        marketingCostPerCustomer: 20,
      },
      {
        retentionRate: 0.6,
        ordersPerCustomer: 3,
        averageOrderValue: 100,
        variableCostRate: 0.6,
        marketingCostPerCustomer: 20,
      },
    ],
  };

  it('computes every column by the stated conventions (checked by hand)', () => {
    const rows = cohortValueTable(config);
    // year 1: revenue 10000 x 1.8 x 90 = 1,620,000; costs 1,134,000 + 200,000 + 600,000; profit -314,000
    expect(rows[0]).toMatchObject({
      customers: 10000,
      revenue: 1620000,
      grossProfit: -314000,
      discountFactor: 1,
    });
    // year 2: 4,000 customers; revenue 950,000; costs 617,500 + 80,000; profit 252,500; factor 1.15
    expect(rows[1]!.customers).toBe(4000);
    expect(rows[1]!.grossProfit).toBeCloseTo(252500, 6);
    expect(rows[1]!.npvProfit).toBeCloseTo(252500 / 1.15, 6);
    // year 3: 2,000 customers; revenue 600,000; costs 360,000 + 40,000; profit 200,000; factor 1.3225
    expect(rows[2]!.npvProfit).toBeCloseTo(200000 / 1.3225, 6);
    const ltv = (-314000 + 252500 / 1.15 + 200000 / 1.3225) / 10000;
    expect(rows[2]!.lifetimeValuePerCustomer).toBeCloseTo(ltv, 10);
  });

  it('takes overrides of computed columns', () => {
    const years = config.years.map((y, i) => (i === 1 ? { ...y, customers: 5000, discountFactor: 1.2 } : y));
    const rows = cohortValueTable({ ...config, years });
    expect(rows[1]!.customers).toBe(5000);
    expect(rows[1]!.discountFactor).toBe(1.2);
    expect(rows[2]!.customers).toBe(2500);
  });
});
