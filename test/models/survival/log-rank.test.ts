import { describe, expect, it } from 'vitest';
import { logRankTest, logRankTestFromCounts } from '../../../src/models/survival/log-rank.js';
import { expectAll, TOL_KM } from './expect-all.js';
import { loadTelco } from './telco.js';

/*
 * Reference values confirmed with R survival 3.5-3 (R 4.2.2), script reference/telco.R:
 * survdiff(Surv(tenure, Churn == "Yes") ~ Contract) on the Telco data and survdiff(Surv(time, status) ~ x1)
 * on the hand-made ties data. Tolerance TOL_KM = 1e-9 relative.
 */

describe('log-rank test against R survdiff', () => {
  it('Telco by Contract', () => {
    const telco = loadTelco();
    const lr = logRankTest(telco.tenure, telco.churn, telco.contract);
    expect(lr.groups.map((g) => g.group)).toEqual(['Month-to-month', 'One year', 'Two year']);
    expect(lr.groups.map((g) => g.n)).toEqual([3875, 1473, 1695]);
    expectAll(
      lr.groups.map((g) => g.observed),
      [1655, 166, 48],
      0,
      'observed',
    );
    expectAll(
      lr.groups.map((g) => g.expected),
      [708.44559550787301, 470.72782609581952, 689.82657839630724],
      TOL_KM,
      'expected',
    );
    expectAll(
      lr.variance.flat(),
      [
        388.83709942556902, -172.02397645355251, -216.81312297201657, -172.02397645355251, 343.36765676043893,
        -171.34368030688628, -216.81312297201657, -171.34368030688628, 388.15680327890283,
      ],
      TOL_KM,
      'var',
    );
    expectAll([lr.chisq], [2352.8725382593384], TOL_KM, 'chisq');
    expect(lr.df).toBe(2);
    // R: pchisq(2352.87, 2, lower.tail = FALSE) underflows to 0 (exp(-1176)).
    expect(lr.p).toBe(0);
    // R prints (O-E)^2/E 1265, 197, 597 and (O-E)^2/V 2304, 270, 1061.
    expect(lr.groups.map((g) => Math.round(g.chisqE))).toEqual([1265, 197, 597]);
    expect(lr.groups.map((g) => Math.round(g.chisqV))).toEqual([2304, 270, 1061]);
  });

  it('Telco from counts per (group, time) equals the subject path', () => {
    const telco = loadTelco();
    const rows = Array.from(telco.tenure, (t, i) => ({
      group: telco.contract.levels[telco.contract.codes[i]!]!,
      time: t,
      events: telco.churn[i]!,
      censored: 1 - telco.churn[i]!,
    }));
    expectAll([logRankTestFromCounts(rows).chisq], [2352.8725382593384], TOL_KM, 'chisq');
  });

  it('small data with ties', () => {
    const time = [1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9];
    const status = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0];
    const x1 = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0];
    const lr = logRankTest(time, status, { codes: x1, levels: ['0', '1'] });
    expectAll(
      lr.groups.map((g) => g.observed),
      [6, 3],
      0,
      'observed',
    );
    expectAll(
      lr.groups.map((g) => g.expected),
      [4.9888888888888889, 4.0111111111111111],
      TOL_KM,
      'expected',
    );
    expectAll(
      lr.variance.flat(),
      [1.8422526855860188, -1.8422526855860188, -1.8422526855860191, 1.8422526855860188],
      TOL_KM,
      'var',
    );
    expectAll([lr.chisq], [0.55494324259168515], TOL_KM, 'chisq');
    // R: pchisq(0.55494324259168515, 1, lower.tail = FALSE).
    expect(lr.df).toBe(1);
    expectAll([lr.p], [0.45630489279873571], TOL_KM, 'p');
  });

  it('a single group or a group with no expected events has no test', () => {
    const one = logRankTest([1, 2, 3], [1, 0, 1], { codes: [0, 0, 0], levels: ['a'] });
    expect([one.chisq, one.df]).toEqual([0, 0]);
    expect(one.p).toBeNaN();
  });
});
