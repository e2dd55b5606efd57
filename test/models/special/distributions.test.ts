import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  erfc,
  normalCdf,
  normalQuantile,
  normalSurvival,
  regularizedBeta,
  regularizedGammaQ,
  studentTTwoSidedP,
} from '../../../src/models/special/distributions.js';
import { expectRel } from '../close.js';

/*
 * Reference values: R 4.2.2 pnorm / pchisq / pt printed with sprintf("%.17g"), confirmed with R survival
 * 3.5-3 session, script test/models/survival/reference/telco.R (section "distributions").
 */

/** [z, pnorm(z, lower.tail = FALSE)] */
const NORMAL_UPPER: readonly (readonly [number, number])[] = [
  [-3, 0.9986501019683699],
  [-1, 0.84134474606854293],
  [0, 0.5],
  [0.5, 0.30853753872598694],
  [1.96, 0.024997895148220428],
  [5, 2.8665157187919391e-7],
  [10, 7.6198530241605269e-24],
  [20, 2.7536241186062337e-89],
  [37.5, 4.6053530095819552e-308],
];

/** [z, pnorm(z)] */
const NORMAL_LOWER: readonly (readonly [number, number])[] = [
  [-10, 7.6198530241605269e-24],
  [-1.5, 0.066807201268858071],
  [0.3, 0.61791142218895267],
];

/** [x, df, pchisq(x, df, lower.tail = FALSE)] */
const CHISQ: readonly (readonly [number, number, number])[] = [
  [0.5, 1, 0.47950012218695348],
  [3.84, 1, 0.050043521248705224],
  [10, 2, 0.006737946999085467],
  [1, 3, 0.80125195690120077],
  [30, 3, 1.3800570312932547e-6],
  [200, 2, 3.7200759760208361e-44],
  [0.01, 5, 0.99999946997299571],
  [60, 10, 3.6243009520614891e-9],
  [12.5, 7, 0.08526927515826925],
  [1000, 4, 3.5694127797773843e-215],
  [150, 100, 0.00090393204235400938],
  [90, 100, 0.75319796559982977],
  [1e-6, 1, 0.99920211557217786],
];

/** [t, df, 2 * pt(-|t|, df)] */
const T_TWO_SIDED: readonly (readonly [number, number, number])[] = [
  [2, 5, 0.10193947882985828],
  [0.5, 1, 0.70483276469913358],
  [1.96, 1000, 0.050273184955748722],
  [10, 3, 0.0021283990584141494],
  [3.3, 12, 0.0063407501062871779],
  [0, 4, 1],
  [40, 30, 1.3726045194406362e-27],
  [1.2, 2.5, 0.33143883766587712],
];

describe('normal distribution', () => {
  it('matches R pnorm to 1e-14 relative, far into both tails', () => {
    for (const [z, p] of NORMAL_UPPER) expectRel(normalSurvival(z), p, 1e-14, `pnorm upper ${z}`);
    for (const [z, p] of NORMAL_LOWER) expectRel(normalCdf(z), p, 1e-14, `pnorm lower ${z}`);
  });

  it('erfc has the textbook values and symmetry', () => {
    expectRel(erfc(1), 0.15729920705028513, 1e-15);
    expectRel(erfc(-1), 2 - 0.15729920705028513, 1e-15);
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(normalSurvival(40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
  });

  it('normalQuantile inverts the cdf (R: qnorm(0.975) = 1.9599639845400536)', () => {
    expectRel(normalQuantile(0.975), 1.9599639845400536, 1e-15);
    for (const p of [1e-300, 1e-20, 0.001, 0.3, 0.5, 0.8, 0.999999]) {
      const z = normalQuantile(p);
      expectRel(p < 0.5 ? normalCdf(z) : normalSurvival(z), p < 0.5 ? p : 1 - p, 1e-13, `p=${p}`);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});

describe('chi-square survival function', () => {
  it('matches R pchisq(lower.tail = FALSE) to 1e-13 relative, including p = 3.6e-215', () => {
    for (const [x, df, p] of CHISQ) expectRel(chiSquareSurvival(x, df), p, 1e-13, `pchisq(${x}, ${df})`);
  });

  it('has the closed forms and edge cases', () => {
    expectRel(regularizedGammaQ(1, 2), Math.exp(-2), 1e-14);
    expectRel(chiSquareSurvival(7, 2), Math.exp(-3.5), 1e-14);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe('Student t two-sided p-value', () => {
  it('matches R 2 * pt(-|t|, df) to 1e-13 relative', () => {
    for (const [t, df, p] of T_TWO_SIDED) expectRel(studentTTwoSidedP(t, df), p, 1e-13, `pt(${t}, ${df})`);
    expectRel(studentTTwoSidedP(-2, 5), 0.10193947882985828, 1e-13);
  });

  it('regularized incomplete beta has the closed forms', () => {
    expectRel(regularizedBeta(0.5, 2, 3), 0.6875, 1e-14);
    expectRel(regularizedBeta(0.3, 1, 1), 0.3, 1e-14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });
});
