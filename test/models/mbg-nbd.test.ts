import { describe, it, expect } from 'vitest';
import {
  fitMbgNbd,
  mbgNbdConditionalExpected,
  mbgNbdExpectedTransactions,
  mbgNbdLogLikelihood,
  mbgNbdPredict,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfN,
} from '../../src/models/mbg-nbd.js';
import { compressRfm, uncompressedRfm } from '../../src/models/summary-stats.js';
import { readCdnow } from './cdnow.js';
import { expectRel } from './close.js';
import { simulateBgFamily } from './simulate.js';

const cdnow = readCdnow();
const data = compressRfm(cdnow.x, cdnow.t_x, cdnow.T);
/** Published MBG/NBD CDNOW estimates (lifetimes tests/test_estimation.py, 3 decimals). */
const PUBLISHED = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

describe('MBG/NBD on CDNOW', () => {
  const fit = fitMbgNbd(data);

  it('matches the published estimates to their 3 decimals', () => {
    expect(fit.converged).toBe(true);
    // Achieved: r = 0.524838, alpha = 6.182992, a = 0.891356, b = 1.613999 (all round to the published).
    expect(Math.abs(fit.params.r - PUBLISHED.r)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(fit.params.alpha - PUBLISHED.alpha)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(fit.params.a - PUBLISHED.a)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(fit.params.b - PUBLISHED.b)).toBeLessThanOrEqual(0.0005);
    // Our optimum has a (slightly) higher likelihood than the rounded published values: -9582.13268 vs
    // -9582.13280, as it must for a maximum.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(mbgNbdLogLikelihood(PUBLISHED, data));
    expect(Math.abs(fit.logLikelihood - -9582.1327)).toBeLessThan(1e-3);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(fit.standardErrors[k]).toBeGreaterThan(0);
      expect(fit.standardErrors[k]).toBeLessThan(fit.params[k]);
    }
  });

  it('conditional expectation for customer 1 is near the BG/NBD 1.226 (lifetimes checks ±0.05)', () => {
    expect(Math.abs(mbgNbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
  });

  it('predicts per row, with P(alive) < 1 for x = 0', () => {
    const pred = mbgNbdPredict(fit.params, data, 39);
    expect(pred.probabilityAlive[data.rowOf[2]!]).toBeLessThan(1);
    expect(pred.expectedTransactions[data.rowOf[0]!]).toBe(
      mbgNbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86),
    );
  });
});

describe('MBG/NBD predictions against independent values', () => {
  // mpmath at 150 digits with the closed forms (Batislam et al. 2007 / Wagner & Hoppe 2008), PUBLISHED.
  it('E[X(t)], conditional E, P(alive)', () => {
    expectRel(mbgNbdExpectedTransactions(PUBLISHED, 1), 0.053084795263701835, 1e-12);
    expectRel(mbgNbdExpectedTransactions(PUBLISHED, 39), 1.1829536655971726, 1e-12);
    expectRel(mbgNbdExpectedTransactions(PUBLISHED, 78), 1.8047575775531417, 1e-12);
    expectRel(mbgNbdConditionalExpected(PUBLISHED, 39, 2, 30.43, 38.86), 1.2629606232673658, 1e-12);
    expectRel(mbgNbdConditionalExpected(PUBLISHED, 39, 0, 0, 38.86), 0.15401274667514667, 1e-12);
    expectRel(mbgNbdConditionalExpected(PUBLISHED, 104, 15, 38.5, 39), 19.433363748217886, 1e-12);
    expectRel(mbgNbdProbabilityAlive(PUBLISHED, 0, 0, 38.86), 0.3897350809187629, 1e-14);
  });

  it('P(X(t) = n), including a far tail', () => {
    expectRel(mbgNbdProbabilityOfN(PUBLISHED, 0, 39), 0.582473189493289, 1e-13);
    expectRel(mbgNbdProbabilityOfN(PUBLISHED, 1, 39), 0.1827830772875405, 1e-13);
    expectRel(mbgNbdProbabilityOfN(PUBLISHED, 10, 2), 2.2104135802201013e-8, 1e-11);
    expectRel(mbgNbdProbabilityOfN(PUBLISHED, 40, 2), 1.6013004991625543e-27, 1e-10);
  });

  it('the pmf sums to 1, its mean is E[X(t)], and the conditional reduces to it for a new customer', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 3000; n++) {
      const q = mbgNbdProbabilityOfN(PUBLISHED, n, 39);
      total += q;
      mean += n * q;
    }
    expectRel(total, 1, 1e-13);
    expectRel(mean, mbgNbdExpectedTransactions(PUBLISHED, 39), 1e-12);
    expectRel(
      mbgNbdConditionalExpected(PUBLISHED, 39, 0, 0, 1e-12),
      mbgNbdExpectedTransactions(PUBLISHED, 39),
      1e-9,
    );
  });
});

describe('MBG/NBD fitting', () => {
  it('compressed and raw rows give the same log-likelihood', () => {
    const raw = uncompressedRfm(cdnow.x, cdnow.t_x, cdnow.T);
    expectRel(mbgNbdLogLikelihood(PUBLISHED, data), mbgNbdLogLikelihood(PUBLISHED, raw), 1e-13);
  });

  it('recovers simulated parameters within 3 standard errors', () => {
    const truth = { r: 0.6, alpha: 5, a: 1.2, b: 3 };
    const sim = simulateBgFamily(truth, 20_000, 99, true);
    const fit = fitMbgNbd(compressRfm(sim.x, sim.t_x, sim.T));
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k]);
    }
  });
});
