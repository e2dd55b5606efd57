// Holdout evaluation on the real CDNOW sample (2,357 customers, calibration to 1997-09-30, holdout to
// 1998-06-30, weeks), checked against counts taken directly in SQL, the published calibration summary and
// the model functions evaluated customer by customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateClv, type ClvEvaluation } from '../../../src/analysis/clv/evaluate-clv.js';
import { TRANSACTION_MODELS } from '../../../src/analysis/clv/transaction-models.js';
import { UserError } from '../../../src/util/errors.js';
import { readCdnow } from '../../models/cdnow.js';
import { importCdnowSample, tempWorkspace } from '../../helpers.js';

const CAL = '1997-09-30';
const HOLD = '1998-06-30';
let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let e: ClvEvaluation;

beforeAll(async () => {
  ws = await tempWorkspace();
  await importCdnowSample(ws.engine);
  e = await evaluateClv(ws.engine, {
    model: 'bgnbd',
    calibrationEnd: CAL,
    holdoutEnd: HOLD,
    timeUnit: 'week',
  });
});
afterAll(() => ws.cleanup());

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

describe('evaluateClv on CDNOW (BG/NBD, weeks)', () => {
  it('fits the published BG/NBD parameters on the calibration period', () => {
    // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426
    expect(e.fit.params.r).toBeCloseTo(0.243, 3);
    expect(e.fit.params.alpha).toBeCloseTo(4.414, 2);
    expect(e.fit.params.a).toBeCloseTo(0.793, 3);
    expect(e.fit.params.b).toBeCloseTo(2.426, 2);
    expect(e.customers).toBe(2357);
    expect(e.holdoutLength).toBeCloseTo(39, 12);
  });

  it('counts actual holdout transactions as distinct customer-days after the calibration end', async () => {
    const [r] = await ws.engine.query(`
      SELECT count(DISTINCT (customer_id, CAST("date" AS DATE))) AS n FROM transactions
      WHERE "date" >= DATE '1997-10-01' AND "date" < DATE '1998-07-01'
        AND customer_id IN (SELECT customer_id FROM transactions WHERE "date" < DATE '1997-10-01')`);
    expect(e.holdout.actualTotal).toBe(Number(r!.n));
    expect(sum(e.perCustomer.actual)).toBe(Number(r!.n));
  });

  it('tracks every repeat transaction week by week: 39 calibration weeks, 39 holdout weeks', () => {
    const published = readCdnow();
    const calibrationRepeats = sum(published.x);
    expect(e.calibrationRepeatTransactions).toBe(calibrationRepeats);
    const t = e.tracking;
    expect(t.points).toHaveLength(78);
    expect(t.calibrationPeriods).toBe(39);
    expect(t.points[0]).toMatchObject({ period: 1, start: '1997-01-01', end: '1997-01-07', holdout: false });
    expect(t.points[38]).toMatchObject({ end: '1997-09-30', holdout: false, endTime: 0 });
    expect(t.points[39]).toMatchObject({ start: '1997-10-01', holdout: true, endTime: 1 });
    expect(t.points[77]).toMatchObject({ end: '1998-06-30', endTime: 39 });
    expect(sum(t.points.map((p) => p.actual))).toBe(calibrationRepeats + e.holdout.actualTotal);
    expect(t.calibration.actual).toBe(calibrationRepeats);
    expect(t.holdout.actual).toBe(e.holdout.actualTotal);
  });

  it("expects at the calibration end what the model implies for every customer's age, Σ E[X(T_i)]", async () => {
    const s = await ws.engine.customerSummary({ calibrationEnd: CAL, timeUnit: 'week' });
    const model = TRANSACTION_MODELS.bgnbd;
    let atCalibrationEnd = 0;
    let atHoldoutEnd = 0;
    for (let i = 0; i < s.T.length; i++) {
      atCalibrationEnd += model.expectedTransactions(e.fit.params, s.T[i]!);
      atHoldoutEnd += model.expectedTransactions(e.fit.params, s.T[i]! + 39);
    }
    expect(e.tracking.calibration.expected).toBeCloseTo(atCalibrationEnd, 6);
    expect(e.tracking.points[38]!.cumulativeExpected).toBeCloseTo(atCalibrationEnd, 6);
    expect(e.tracking.points[77]!.cumulativeExpected).toBeCloseTo(atHoldoutEnd, 6);
    expect(e.tracking.holdout.expected).toBeCloseTo(atHoldoutEnd - atCalibrationEnd, 6);
    // increments add up to the cumulative curve
    expect(sum(e.tracking.points.map((p) => p.expected))).toBeCloseTo(atHoldoutEnd, 6);
    // the fitted model reproduces the calibration total it was fitted on closely (2,494 vs 2,457)
    expect(Math.abs(atCalibrationEnd / e.calibrationRepeatTransactions - 1)).toBeLessThan(0.03);
  });

  it('predicts holdout transactions per customer with the conditional expectation', () => {
    const c = e.perCustomer;
    const model = TRANSACTION_MODELS.bgnbd;
    let total = 0;
    for (let i = 0; i < c.x.length; i++) {
      const p = model.conditionalExpected(e.fit.params, 39, c.x[i]!, c.tx[i]!, c.T[i]!);
      expect(c.predicted[i]).toBeCloseTo(p, 12);
      total += p;
    }
    expect(e.holdout.predictedTotal).toBeCloseTo(total, 8);
    // reference computed with SciPy's hyp2f1 from the published (rounded) summary and these parameters:
    // 1653.416; t_x and T rounded to 2 decimals explain the small difference
    expect(Math.abs(e.holdout.predictedTotal - 1653.416)).toBeLessThan(0.05);
    const i = c.customerIds.indexOf('0001'); // x = 2, t_x = 30.43, T = 38.86: the paper's example, 1.226
    expect(c.predicted[i]).toBeCloseTo(1.226, 3);
  });

  it('comes close to the actual holdout total, as in the published tracking figure', () => {
    // BG/NBD under-forecasts CDNOW's holdout: 1,653 predicted vs 1,882 actual (-12.1 %); the cumulative
    // curve over all 78 weeks, the paper's figure, stays within 5 % (4,161 vs 4,339).
    const h = e.holdout;
    expect(h.actualTotal).toBe(1882);
    expect(Math.abs(h.relativeError!)).toBeLessThan(0.15);
    expect(h.relativeError).toBeCloseTo((h.predictedTotal - h.actualTotal) / h.actualTotal, 12);
    const end = e.tracking.points[77]!;
    expect(Math.abs(end.cumulativeExpected / end.cumulativeActual - 1)).toBeLessThan(0.1);
    expect(h.correlation).toBeGreaterThan(0.5);
    expect(h.rmse).toBeGreaterThanOrEqual(h.mae);
  });

  it('computes MAE, RMSE and correlation from the per-customer values', () => {
    const { predicted, actual } = e.perCustomer;
    const n = predicted.length;
    const mp = sum(predicted) / n;
    const ma = sum(actual) / n;
    let abs = 0;
    let sq = 0;
    let cov = 0;
    let vp = 0;
    let va = 0;
    for (let i = 0; i < n; i++) {
      abs += Math.abs(predicted[i]! - actual[i]!);
      sq += (predicted[i]! - actual[i]!) ** 2;
      cov += (predicted[i]! - mp) * (actual[i]! - ma);
      vp += (predicted[i]! - mp) ** 2;
      va += (actual[i]! - ma) ** 2;
    }
    expect(e.holdout.mae).toBeCloseTo(abs / n, 10);
    expect(e.holdout.rmse).toBeCloseTo(Math.sqrt(sq / n), 10);
    expect(e.holdout.correlation).toBeCloseTo(cov / Math.sqrt(vp * va), 10);
  });

  it('groups by calibration frequency 0..6 and 7+, the x = 0 group matching a direct SQL count', async () => {
    expect(e.byFrequency.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(sum(e.byFrequency.map((g) => g.customers))).toBe(2357);
    const [r] = await ws.engine.query(`
      WITH cal AS (SELECT customer_id, count(DISTINCT CAST("date" AS DATE)) AS days FROM transactions
                   WHERE "date" < DATE '1997-10-01' GROUP BY customer_id),
           hold AS (SELECT customer_id, count(DISTINCT CAST("date" AS DATE)) AS days FROM transactions
                    WHERE "date" >= DATE '1997-10-01' AND "date" < DATE '1998-07-01' GROUP BY customer_id)
      SELECT count(*) AS n, avg(coalesce(hold.days, 0)) AS mean
      FROM cal LEFT JOIN hold USING (customer_id) WHERE cal.days = 1`);
    const zero = e.byFrequency[0]!;
    expect(zero.customers).toBe(Number(r!.n));
    expect(zero.customers).toBe(2357 - 946);
    expect(zero.meanActual).toBeCloseTo(Number(r!.mean), 12);
    // the model's expectation for a one-time buyer depends only on T
    const c = e.perCustomer;
    let predicted = 0;
    for (let i = 0; i < c.x.length; i++)
      if (c.x[i] === 0)
        predicted += TRANSACTION_MODELS.bgnbd.conditionalExpected(e.fit.params, 39, 0, 0, c.T[i]!);
    expect(zero.meanPredicted).toBeCloseTo(predicted / zero.customers, 12);
    const open = e.byFrequency[7]!;
    expect(open).toMatchObject({ minX: 7, maxX: null });
    expect(open.customers).toBe(Array.from(c.x).filter((x) => x >= 7).length);
  });

  it('builds P(alive) and expected-transaction matrices over frequency and recency at the largest T', () => {
    const m = e.matrices;
    const maxX = Math.max(...e.perCustomer.x);
    const maxT = Math.max(...e.perCustomer.T);
    expect(m.T).toBe(maxT);
    expect(m.horizon).toBe(1);
    expect(m.frequencies).toEqual(Array.from({ length: maxX + 1 }, (_, i) => i));
    expect(m.recencies).toEqual(Array.from({ length: Math.floor(maxT) + 1 }, (_, i) => i));
    expect(m.probabilityAlive).toHaveLength(m.frequencies.length);
    for (const row of m.probabilityAlive) expect(row).toHaveLength(m.recencies.length);
    // BG/NBD: nobody with x = 0 has dropped out yet; with x > 0, later last purchases mean more alive
    expect(m.probabilityAlive[0]!.every((p) => p === 1)).toBe(true);
    const row = m.probabilityAlive[5]!;
    for (let j = 1; j < row.length; j++) expect(row[j]!).toBeGreaterThan(row[j - 1]!);
    const model = TRANSACTION_MODELS.bgnbd;
    expect(m.probabilityAlive[3]![20]).toBeCloseTo(model.probabilityAlive(e.fit.params, 3, 20, maxT), 14);
    expect(m.expectedTransactions[3]![20]).toBeCloseTo(
      model.conditionalExpected(e.fit.params, 1, 3, 20, maxT),
      14,
    );
  });
});

describe('evaluateClv with other models and bad input', () => {
  it('evaluates Pareto/NBD and MBG/NBD the same way', async () => {
    for (const model of ['pnbd', 'mbgnbd'] as const) {
      const r = await evaluateClv(ws.engine, { model, calibrationEnd: CAL, holdoutEnd: HOLD });
      expect(r.model).toBe(model);
      expect(r.holdout.actualTotal).toBe(1882);
      expect(Math.abs(r.holdout.relativeError!)).toBeLessThan(0.25);
      expect(r.tracking.points).toHaveLength(78);
    }
  });

  it('rejects impossible periods with a UserError', async () => {
    const bad = (calibrationEnd: string, holdoutEnd: string) =>
      expect(evaluateClv(ws.engine, { calibrationEnd, holdoutEnd })).rejects.toThrow(UserError);
    await bad('1998-06-30', '1997-09-30');
    await bad('1997-09-30', '1997-09-30');
    await bad('1997-02-30', '1998-06-30');
    await bad('30/09/1997', '1998-06-30');
    await bad('1996-06-30', '1996-12-31'); // before the first transaction
    await bad('1998-06-30', '1998-12-31'); // nothing after the calibration end
    await expect(
      evaluateClv(ws.engine, { calibrationEnd: CAL, holdoutEnd: '1998-06-29' }),
    ).resolves.toBeDefined();
  });

  it('says so when the workspace has no transactions', async () => {
    const empty = await tempWorkspace();
    try {
      await expect(evaluateClv(empty.engine, { calibrationEnd: CAL, holdoutEnd: HOLD })).rejects.toThrow(
        /no transactions/,
      );
    } finally {
      await empty.cleanup();
    }
  });
});
