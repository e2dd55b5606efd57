import { describe, it, expect } from 'vitest';
import { hyp2f1 } from '../../../src/models/special/hyp2f1.js';
import { expectRel } from '../close.js';

/**
 * Reference values: mpmath 1.2.1 `hyp2f1` at 50 significant digits (Debian python3-mpmath), printed to 17
 * digits, e.g. `python3 -c "import mpmath as mp; mp.mp.dps=50; print(mp.hyp2f1(0.5,1.5,2.5,0.95))"`.
 * The arguments are the exact doubles written here. [a, b, c, z, value, what]
 */
const REFERENCE: readonly (readonly [number, number, number, number, number, string])[] = [
  [1, 1, 2, -1, 0.6931471805599453, 'ln 2'],
  [0.2425945, 2.4258881, 2.218808, 0.8983359659913406, 1.9354267093500175, 'BG/NBD E[X(39)]'],
  [2.2425945, 4.4258881, 4.218808, 0.4740281098596219, 4.5742705979890985, 'BG/NBD conditional'],
  [0.5, 1.5, 2.5, 0.3, 1.108062551056932, 'series'],
  [0.5, 1.5, 2.5, 0.95, 1.8262489839789269, '1-z, d=0.5'],
  [0.5, 1.5, 2.5, 0.999999, 2.3531980204884504, '1-z, z=1-1e-6'],
  [0.3, 0.7, 0.9, 0.999, 3.5536811402637296, 'd=-0.1'],
  [1.0, 1.0, 3.0, 0.99, 1.926228544312048, 'd=1 integer'],
  [1.0, 1.0, 2.0, 0.9999, 9.211261498126106, 'd=0 integer, -ln(1-z)/z'],
  [1.5, 2.5, 4.000000001, 0.97, 9.784734849605641, 'd=1e-9'],
  [1.5, 2.5, 5.999999, 0.995, 3.050223359914658, 'd=2-1e-6'],
  [1.5, 2.5, 3.97, 0.93, 6.811308364846274, 'd=-0.03'],
  [0.25, 3.25, 1.5, 0.999999999999, 9.58891492970654e22, 'd=-2, z=1-1e-12'],
  [2.0, 3.0, 7.0, 0.999999999999, 4.999999999970001, 'd=2, z=1-1e-12'],
  [0.8, 11.67, 11.5, -0.5, 0.7200718406110153, 'negative z'],
  [0.5531, 12.2777, 13.17, -3.0, 0.47873517670153415, 'z=-3'],
  [20.55, 1.606, 21.55, -0.9, 0.3700519874744401, 'Pareto/NBD-like'],
  [120.55, 1.606, 121.55, 0.95, 100.29484297166769, 'large a, z near 1'],
  [120.55, 1.606, 121.55, -0.95, 0.34436592779674313, 'large a, negative z'],
  [60.5, 0.606, 61.5, 0.999, 18.2633676827949, 'large a, z=0.999'],
  [0.3, 0.6, 1.9, -1000000.0, 0.03388079165442447, 'z=-1e6'],
  [-3, 2.5, 1.7, 0.8, -0.05635046811517399, 'polynomial'],
  [-3, 2.5, 1.7, -5.0, 455.84455043278575, 'polynomial, z=-5'],
  [0.5, -0.3, -0.7, 0.6, 1.4884783867213696, 'negative non-integer b and c'],
  [2.5, 1.5, 0.5, 0.95, 171730.0206719833, 'd=-3.5'],
  [-0.5, 1.2, 3.3, 0.97, 0.7895452043262743, 'negative a'],
];

describe('hyp2f1', () => {
  for (const [a, b, c, z, value, what] of REFERENCE) {
    it(`${what}: 2F1(${a}, ${b}; ${c}; ${z})`, () => {
      expectRel(hyp2f1(a, b, c, z), value, 1e-13, what);
    });
  }

  it('handles the special cases', () => {
    expect(hyp2f1(1, 2, 3, 0)).toBe(1);
    expect(hyp2f1(0, 2, 3, 0.5)).toBe(1);
    expect(hyp2f1(1, 2, 3, 1.5)).toBeNaN();
    expect(hyp2f1(1, 2, -2, 0.5)).toBeNaN();
    expect(hyp2f1(1.5, 1.5, 3, 1)).toBe(Infinity);
    // Gauss: 2F1(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expectRel(hyp2f1(1, 1, 3, 1), 2, 1e-14);
  });

  it('is continuous across the series / transformation switch and near-integer band', () => {
    for (const z of [0.9 - 1e-12, 0.9 + 1e-12])
      expectRel(hyp2f1(0.7, 1.3, 2.1, z), hyp2f1(0.7, 1.3, 2.1, 0.9), 1e-10);
    const c0 = 1.5 + 2.5 + 1;
    for (const dc of [0.0499, 0.0501, 1e-6, 1e-14]) {
      expectRel(hyp2f1(1.5, 2.5, c0 + dc, 0.97), hyp2f1(1.5, 2.5, c0, 0.97), 40 * dc);
    }
  });
});
