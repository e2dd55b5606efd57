// Reference predictions on CDNOW from lifetimes' test suite (datasets/README.md): BG/NBD conditional
// expectation for x=2, t_x=30.43, T=38.86 over 39 weeks = 1.226; Gamma-Gamma expected spend of the first
// ten customers. Customer 0001 of the sample has exactly that history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitClvModel } from '../../../src/analysis/clv/fit-clv-model.js';
import type { FitDocument } from '../../../src/analysis/clv/fit-document.js';
import { predictClv } from '../../../src/analysis/clv/predict-clv.js';
import { importCdnowSample, tempWorkspace } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let bg: FitDocument;
let gg: FitDocument;
beforeAll(async () => {
  ws = await tempWorkspace();
  await importCdnowSample(ws.engine);
  bg = await fitClvModel(ws.engine, { model: 'bgnbd', calibrationEnd: '1997-09-30' });
  gg = await fitClvModel(ws.engine, { model: 'gg', calibrationEnd: '1997-09-30' });
});
afterAll(() => ws.cleanup());

describe('predictClv', () => {
  it('reproduces the published conditional expectation and Gamma-Gamma spends', async () => {
    const r = await predictClv(ws.engine, bg, gg, { horizon: 39 });
    const c = r.perCustomer;
    expect(c.customerIds.slice(0, 10)).toEqual([
      '0001',
      '0002',
      '0003',
      '0004',
      '0005',
      '0006',
      '0007',
      '0008',
      '0009',
      '0010',
    ]);
    expect(c.expectedTransactions[0]).toBeCloseTo(1.226, 3);
    const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    published.forEach((v, i) =>
      expect(Math.abs(c.expectedSpend[i]! - v), `customer ${i + 1}`).toBeLessThan(0.011),
    );
    expect(r.customers).toBe(2357);
    // unconditional E[X(t)] with the fitted parameters: lifetimes' reference 0.0532 at t=1, 0.1506 at t=3
    expect(r.population.curve[0]!.expectedTransactions).toBeCloseTo(0.0532, 3);
    expect(r.population.curve[2]!.expectedTransactions).toBeCloseTo(0.1506, 3);
    expect(r.population.curve).toHaveLength(39);
  });

  it('without discounting, CLV telescopes to margin x spend x E[X(horizon)]', async () => {
    const r = await predictClv(ws.engine, bg, gg, { horizon: 52, discountRate: 0, margin: 0.3 });
    const c = r.perCustomer;
    for (const i of [0, 1, 5, 100, 2000]) {
      expect(c.clv[i]).toBeCloseTo(0.3 * c.expectedSpend[i]! * c.expectedTransactions[i]!, 9);
    }
    const discounted = await predictClv(ws.engine, bg, gg, { horizon: 52, discountRate: 0.1, margin: 0.3 });
    // discounting at 10 % a year over one year lowers every CLV, by less than 10 %
    for (const i of [0, 5, 100]) {
      const ratio = discounted.perCustomer.clv[i]! / c.clv[i]!;
      expect(ratio).toBeLessThan(1);
      expect(ratio).toBeGreaterThan(1 / 1.1);
    }
    const sum = Array.from(discounted.perCustomer.clv).reduce((a, b) => a + b, 0);
    expect(discounted.totals.clv).toBeCloseTo(sum, 6);
  });

  it('P(alive) is 1 for customers without repeat purchases under BG/NBD and falls with inactivity', async () => {
    const r = await predictClv(ws.engine, bg, gg, { horizon: 10 });
    const c = r.perCustomer;
    for (let i = 0; i < c.x.length; i++) if (c.x[i] === 0) expect(c.probabilityAlive[i]).toBe(1);
    // customer 0002: one repeat purchase in week 1.7, then 37 silent weeks
    expect(c.probabilityAlive[1]).toBeLessThan(0.3);
  });

  it('intervals bracket the point estimates; the population distribution is a probability', async () => {
    const r = await predictClv(ws.engine, bg, gg, { horizon: 39, intervalDraws: 200, seed: 3 });
    const c = r.perCustomer;
    for (let i = 0; i < c.x.length; i += 97) {
      expect(c.expectedTransactionsLower![i]).toBeLessThanOrEqual(c.expectedTransactions[i]! + 1e-12);
      expect(c.expectedTransactionsUpper![i]).toBeGreaterThanOrEqual(c.expectedTransactions[i]! - 1e-12);
    }
    const [lo, hi] = r.totals.clvInterval!;
    expect(lo).toBeLessThan(r.totals.clv);
    expect(hi).toBeGreaterThan(r.totals.clv);
    const p = r.population.distribution.reduce((a, d) => a + d.probability, 0);
    expect(p).toBeGreaterThan(0.9);
    expect(p).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('per-customer P(n transactions) sums towards 1 and its mean is the expected transactions', async () => {
    const r = await predictClv(ws.engine, bg, gg, { horizon: 39, pmfMax: 60 });
    const p = r.perCustomer.probabilityOfN!;
    for (const i of [0, 1, 500]) {
      let total = 0;
      let mean = 0;
      p.forEach((pk, k) => {
        total += pk[i]!;
        mean += k * pk[i]!;
      });
      expect(total).toBeGreaterThan(0.999999);
      expect(mean).toBeCloseTo(r.perCustomer.expectedTransactions[i]!, 4);
    }
  });

  it('falls back to the mean repeat purchase value without a Gamma-Gamma fit, and says so', async () => {
    const r = await predictClv(ws.engine, bg, null, { horizon: 39 });
    expect(r.spendModel).toBe('mean-spend');
    expect(new Set(r.perCustomer.expectedSpend).size).toBe(1);
    expect(r.notes.join()).toContain('no Gamma-Gamma fit');
  });
});

describe('predictClv with BG/BB (monthly opportunities)', () => {
  it('predicts purchase months, bounded by the horizon, close to the holdout actuals', async () => {
    // eight monthly opportunities do not identify dropout heterogeneity (gamma, delta run off to infinity
    // unpenalised): a small penalty keeps them finite
    const bb = await fitClvModel(ws.engine, {
      model: 'bgbb',
      calibrationEnd: '1997-09-30',
      timeUnit: 'month',
      penalty: 0.01,
    });
    const r = await predictClv(ws.engine, bb, null, { horizon: 9, discountRate: 0 });
    const c = r.perCustomer;
    let total = 0;
    for (let i = 0; i < c.x.length; i++) {
      expect(c.expectedTransactions[i]).toBeGreaterThanOrEqual(0);
      expect(c.expectedTransactions[i]).toBeLessThanOrEqual(9);
      expect(c.probabilityAlive[i]).toBeGreaterThanOrEqual(0);
      expect(c.probabilityAlive[i]).toBeLessThanOrEqual(1);
      expect(c.clv[i]).toBeCloseTo(c.expectedSpend[i]! * c.expectedTransactions[i]!, 8);
      total += c.expectedTransactions[i]!;
    }
    // actual purchase months in the 9 holdout months (Oct 1997 - Jun 1998), counted independently in SQL
    const [a] = await ws.engine.query(`SELECT count(DISTINCT (customer_id, date_trunc('month', "date"))) AS n
      FROM transactions WHERE "date" >= DATE '1997-10-01'`);
    // measured: 30 % below the actual 1,478 purchase months (BG/NBD on days is 12 % below on this holdout;
    // the penalty and the coarse monthly grid cost more). A regression guard, not a published reference.
    expect(Math.abs(total - Number(a!.n)) / Number(a!.n)).toBeLessThan(0.35);
  });
});
