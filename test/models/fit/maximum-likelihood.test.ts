import { describe, it, expect } from 'vitest';
import { fitMaximumLikelihood, ModelFitError } from '../../../src/models/fit/maximum-likelihood.js';
import { Random } from '../../../src/models/random.js';
import { expectRel } from '../close.js';

/** Gamma(shape k, rate θ) sample: the MLE has no closed form for k, a good optimiser test. */
function gammaSample(n: number): number[] {
  const rng = new Random(5);
  return Array.from({ length: n }, () => rng.gamma(2.5, 0.8));
}

describe('fitMaximumLikelihood', () => {
  const ts = [1, 2, 3, 0.5, 4.5];
  const expLL = ([l]: readonly number[]): number => ts.reduce((s, t) => s + Math.log(l!) - l! * t, 0);

  it('finds a closed-form optimum, with the delta-method standard error', () => {
    const fit = fitMaximumLikelihood({ names: ['lambda'], logLikelihood: expLL, starts: [[10]] });
    const mean = ts.reduce((s, t) => s + t, 0) / ts.length;
    expect(fit.converged).toBe(true);
    expectRel(fit.params.lambda!, 1 / mean, 1e-9);
    // Observed information n/λ² → se = λ/√n.
    expectRel(fit.standardErrors.lambda!, 1 / mean / Math.sqrt(ts.length), 1e-6);
    expectRel(fit.covariance[0]![0]!, fit.standardErrors.lambda! ** 2, 1e-12);
  });

  it('agrees with and without an analytic gradient (numeric vs analytic path)', () => {
    const xs = gammaSample(2000);
    const sumLog = xs.reduce((s, x) => s + Math.log(x), 0);
    const sum = xs.reduce((s, x) => s + x, 0);
    const n = xs.length;
    // ln L = n k ln θ - n ln Γ(k) + (k-1) Σ ln x - θ Σ x, with ln Γ from a Stirling-free identity check.
    const lgam = (k: number): number => {
      let s = 0;
      let y = k;
      while (y < 10) s -= Math.log(y++);
      return (
        s + (y - 0.5) * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * y) - 1 / (360 * y ** 3)
      );
    };
    const ll = ([k, th]: readonly number[]): number =>
      n * k! * Math.log(th!) - n * lgam(k!) + (k! - 1) * sumLog - th! * sum;
    const dig = (k: number): number => (lgam(k + 1e-6) - lgam(k - 1e-6)) / 2e-6;
    const grad = ([k, th]: readonly number[]): number[] => [
      n * Math.log(th!) - n * dig(k!) + sumLog,
      (n * k!) / th! - sum,
    ];
    const a = fitMaximumLikelihood({ names: ['k', 'theta'], logLikelihood: ll, starts: [[1, 1]] });
    const b = fitMaximumLikelihood({
      names: ['k', 'theta'],
      logLikelihood: ll,
      gradient: grad,
      starts: [[1, 1]],
    });
    expect(a.converged && b.converged).toBe(true);
    expectRel(a.params.k!, b.params.k!, 1e-6);
    expectRel(a.standardErrors.theta!, b.standardErrors.theta!, 1e-3);
    expect(Math.abs(a.params.k! - 2.5)).toBeLessThan(3 * a.standardErrors.k!);
  });

  it('takes the best of several starts and skips invalid ones', () => {
    // Two local maxima in ln p: a small one near p = e^-2 and the global one at p = e^2.
    const ll = ([p]: readonly number[]): number => {
      const x = Math.log(p!);
      return Math.exp(-((x + 2) ** 2)) + 2 * Math.exp(-((x - 2) ** 2));
    };
    const fit = fitMaximumLikelihood({
      names: ['p'],
      logLikelihood: ll,
      starts: [[-1], [Math.exp(-2)], [Math.exp(1.5)]],
    });
    expectRel(fit.params.p!, Math.exp(2), 1e-6);
  });

  it('applies the L2 penalty on log-parameters', () => {
    const fit = fitMaximumLikelihood({
      names: ['lambda'],
      logLikelihood: expLL,
      starts: [[1]],
      penalty: 1e6,
    });
    expect(Math.abs(Math.log(fit.params.lambda!))).toBeLessThan(1e-4);
    // The reported LL is unpenalised.
    expectRel(fit.logLikelihood, expLL([fit.params.lambda!]), 1e-15);
  });

  it('reports a flat direction (unidentified parameter) as not converged, never NaN params', () => {
    const ll = ([a, b]: readonly number[]): number => -((Math.log(a! * b!) - 1) ** 2); // only a·b identified
    const fit = fitMaximumLikelihood({ names: ['a', 'b'], logLikelihood: ll, starts: [[1, 1]] });
    expect(fit.converged).toBe(false);
    expect(fit.message).toMatch(/not positive definite|stopped short/);
    expect(Number.isFinite(fit.params.a!)).toBe(true);
  });

  it('throws ModelFitError when no start has a finite likelihood', () => {
    expect(() => fitMaximumLikelihood({ names: ['p'], logLikelihood: () => NaN, starts: [[1]] })).toThrow(
      ModelFitError,
    );
  });
});
