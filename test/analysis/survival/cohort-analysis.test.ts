// The cohort retention matrix of the hand-built workspace (cells worked out by hand).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortAnalysis } from '../../../src/analysis/survival/cohort-analysis.js';
import { subscriptionWorkspace, transactionWorkspace, type Ws } from './workspaces.js';

let subs: Ws;
let txs: Ws;
beforeAll(async () => {
  subs = await subscriptionWorkspace();
  txs = await transactionWorkspace();
});
afterAll(async () => {
  await subs.cleanup();
  await txs.cleanup();
});

const N = null;

describe('cohortAnalysis', () => {
  it('builds the acquisition month x months since matrix with counts and null unobserved cells', async () => {
    const m = await cohortAnalysis(subs.engine, { asOf: '2024-12-31' });
    expect(m.source).toBe('subscriptions');
    expect(m.period).toBe('month');
    expect(m.periods).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(m.customers).toBe(7);
    expect(m.cohorts.map((c) => [c.cohort, c.size, c.periodsObserved])).toEqual([
      ['2024-01', 4, 11],
      ['2024-02', 1, 10],
      ['2024-03', 1, 9],
      ['2024-06', 1, 6],
    ]);
    // January: A ends in March (month 2), B in July (month 6); C and F stay
    expect(m.cohorts[0]!.active).toEqual([4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2]);
    expect(m.cohorts[0]!.share).toEqual([1, 1, 0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(m.cohorts[1]!.share).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, N]);
    // D churned in June = month 3 of the March cohort; G in September = month 3 of June
    expect(m.cohorts[2]!.active).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, N, N]);
    expect(m.cohorts[3]!.active).toEqual([1, 1, 1, 0, 0, 0, 0, N, N, N, N, N]);
    // pooled month 3: (3 + 1 + 0 + 0) / 7; month 11: January only
    expect(m.pooled[3]).toEqual({ period: 3, share: 4 / 7, size: 7 });
    expect(m.pooled[11]).toEqual({ period: 11, share: 0.5, size: 4 });
  });

  it('limits the months and works from transactions', async () => {
    const m = await cohortAnalysis(subs.engine, { asOf: '2024-12-31', maxPeriods: 2 });
    expect(m.periods).toEqual([0, 1, 2]);
    expect(m.cohorts[0]!.share).toEqual([1, 1, 0.75]);
    const t = await cohortAnalysis(txs.engine, { asOf: '2024-12-31' });
    expect(t.source).toBe('transactions');
    // P: January cohort, lost, last purchase in March (month 2); Q: January, active
    expect(t.cohorts.find((c) => c.cohort === '2024-01')!.active.slice(0, 4)).toEqual([2, 2, 1, 1]);
    // R: June, lost in its first month (a churn event after its only purchase)
    expect(t.cohorts.find((c) => c.cohort === '2024-06')!.active[0]).toBe(0);
  });
});
