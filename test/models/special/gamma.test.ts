import { describe, it, expect } from 'vitest';
import {
  digamma,
  gamma,
  gammaSign,
  lbeta,
  lgamma,
  lgammaSlope,
  sinPi,
} from '../../../src/models/special/gamma.js';
import { expectRel } from '../close.js';

/**
 * Reference values: mpmath 1.2.1 at 50 digits, `log(abs(gamma(x)))` and `digamma(x)`, printed to 17 digits (written here as the nearest double).
 * [x, ln|Γ(x)|, ψ(x)]
 */
const REFERENCE: readonly (readonly [number, number, number])[] = [
  [1e-300, 690.7755278982137, -9.999999999999999e299],
  [1e-8, 18.42068073818021, -100000000.57721566],
  [0.1, 2.252712651734206, -10.423754940411076],
  [0.5, 0.5723649429247001, -1.9635100260214235],
  [0.9999, 0.000057729791561193866, -0.5773801703298691],
  [1.0, 0.0, -0.5772156649015329],
  [1.5, -0.12078223763524522, 0.03648997397857652],
  [2.0, 0.0, 0.42278433509846713],
  [2.5, 0.2846828704729192, 0.7031566406452432],
  [3.7, 1.428072326665388, 1.1671535393615113],
  [9.99, 12.779315214350193, 2.250700372831201],
  [10.0, 12.80182748008147, 2.251752589066721],
  [12.3, 18.238983407092245, 2.468398400301138],
  [100.5, 361.4355404677776, 4.605174352581845],
  [1234.5, 7550.550901077895, 7.118016231827998],
  [1e6, 12815504.569147613, 13.815510057964191],
  [1e15, 33538776394910668, 34.538776394910684],
  [-0.5, 1.2655121234846454, 0.03648997397857652],
  [-1.5, 0.860047015376481, 0.7031566406452432],
  [-2.7, -0.07140708531564569, -1.1153471291406896],
  [-10.3, -14.457515440024208, 4.662403493582087],
  [-100.25, -363.4009232278215, 7.754238959208646],
];

describe('lgamma / digamma', () => {
  for (const [x, lg, psi] of REFERENCE) {
    it(`x = ${x}`, () => {
      // Documented accuracy: absolute 3e-15 below 10, relative 1e-15 above; reflection adds sin(πx).
      const tol = Math.max(3e-15, 2e-15 * Math.abs(lg));
      expect(Math.abs(lgamma(x) - lg)).toBeLessThanOrEqual(tol);
      expectRel(digamma(x), psi, 1e-13, `digamma(${x})`);
    });
  }

  it('poles, signs and small integers', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(-2)).toBe(0);
    expect(gamma(5)).toBe(24);
    expectRel(gamma(0.5), Math.sqrt(Math.PI), 3e-15);
    expectRel(gamma(-0.5), -2 * Math.sqrt(Math.PI), 3e-15);
    expect(sinPi(3)).toBe(0);
    expect(sinPi(1e10 + 0.5)).toBe(1);
  });
});

describe('lbeta', () => {
  const cases: readonly (readonly [number, number, number])[] = [
    [2, 3, -2.4849066497880004],
    [0.5, 0.5, 1.1447298858494002],
    [0.2425945, 2.4258881, 1.14381184462223],
    [0.7, 1e6, -9.40999003904333],
    [1e5, 2e5, -190958.88527911686],
    [3.3, 50.5, -12.029209193509592],
  ];
  for (const [a, b, v] of cases) {
    it(`B(${a}, ${b})`, () => expectRel(lbeta(a, b), v, 1e-14));
  }
});

describe('lgammaSlope', () => {
  // mpmath: (loggamma(x + h) - loggamma(x)) / h at 50 digits (log|Γ| for negative x).
  const cases: readonly (readonly [number, number, number])[] = [
    [3, 1e-12, 0.9227843350986646],
    [0.3, 1e-7, -3.502523609932031],
    [0.3, -0.2, -5.784573284580653],
    [15.5, 0.04, 2.709566900564555],
    [-2.3, 1e-9, 3.3173231649247787],
    [1e4, 0.5, 9.210315371976193],
    [0.001, 0.0005, -811.5053776147078],
  ];
  for (const [x, h, v] of cases) {
    it(`x=${x}, h=${h}`, () => expectRel(lgammaSlope(x, h), v, 1e-13));
  }
  it('is digamma at h = 0', () => expect(lgammaSlope(2.5, 0)).toBe(digamma(2.5)));
});
