import { describe, expect, it } from 'vitest';
import { coxFit } from '../../../src/models/survival/cox.js';
import { coxZph } from '../../../src/models/survival/cox-zph.js';
import { concordance } from '../../../src/models/survival/concordance.js';
import { designMatrix, type DesignMatrix } from '../../../src/models/survival/design.js';
import { SurvivalInputError } from '../../../src/models/survival/errors.js';
import type { FeatureTable } from '../../../src/models/learn/feature-table.js';
import { expectAll, TOL_COX } from './expect-all.js';
import { loadTelco } from './telco.js';

/*
 * Reference values confirmed with R survival 3.5-3 (R 4.2.2), script reference/telco.R:
 * coxph(Surv(tenure, Churn == "Yes") ~ MonthlyCharges + SeniorCitizen + Contract, ties = "efron" / "breslow")
 * on the Telco data, its vcov, loglik, wald.test, score, concordance and cox.zph(fit) (survival 3.x exact
 * score test, transform "km"), and the same on a small hand-made data set with tied times.
 * Tolerance TOL_COX = 1e-7 relative (the bar is 1e-4); the fits agree with R to about 1e-12.
 */

const R_TELCO = {
  efron: {
    coef: [0.00013429559151501063, 0.022768568794846483, -2.1871047829691186, -4.2174382155966903],
    se: [0.00091775640909166098, 0.054881588404764745, 0.083866269707346355, 0.15725705084878819],
    var: [
      8.4227682642882014e-7, -1.0085435498542596e-5, 3.3834601210371758e-6, 1.0613050492731828e-5,
      -1.0085435498542596e-5, 0.0030119887458300077, 0.00037058060789051767, 0.00061770139599352715,
      3.3834601210371758e-6, 0.00037058060789051767, 0.00703355119462536, 0.001562986169105696,
      1.0613050492731828e-5, 0.00061770139599352715, 0.001562986169105696, 0.024729780041658357,
    ],
    z: [0.14633032271376689, 0.41486716140434715, -26.078479352916023, -26.818754344134323],
    p: [0.88366062942625467, 0.67823915055151018, 6.397161998935684e-150, 1.9530145018762675e-158],
    loglik: [-15653.039635111487, -14343.456120178667],
    wald: 1282.4053125358896,
    score: 2350.6496415496445,
    lrt: 2619.1670298656391,
    // concordant, discordant, tied.x, tied.y, tied.xy, concordance, std
    concordance: [6789415, 2105085, 2934, 102174, 131, 0.7632405028236231, 0.0045940877928400646],
    zphChisq: [62.994103569005787, 0.035764196461850049, 111.5005245080049, 191.12661137336232],
    zphP: [2.0732631299621551e-15, 0.85000327953088917, 6.1371782667389912e-25, 3.0352592586703497e-40],
    zphColumnsChisq: [
      62.994103569005787, 0.035764196461850049, 79.265347890445938, 20.218106627312117, 191.12661137336232,
    ],
    zphColumnsP: [
      2.0732631299621551e-15, 0.85000327953088917, 5.4303860545051341e-19, 6.9095828599097782e-6,
      3.0352592586703497e-40,
    ],
  },
  breslow: {
    coef: [0.00024828356170669138, 0.021444558617407967, -2.1725589094267894, -4.1953772221448755],
    se: [0.00091963937873321036, 0.05486435092461802, 0.083884668505956675, 0.15707970840302701],
    var: [
      8.4573658691680512e-7, -1.0000985220117248e-5, 3.3590633916927823e-6, 1.0672950300109905e-5,
      -1.0000985220117248e-5, 0.0030100970023796345, 0.00037281529230486984, 0.00061905310122950833,
      3.3590633916927823e-6, 0.00037281529230486984, 0.0070366376103542386, 0.0015590234728075606,
      1.0672950300109905e-5, 0.00061905310122950833, 0.0015590234728075606, 0.024674034791979996,
    ],
    z: [0.26997926301144076, 0.39086507460686359, -25.899356200859462, -26.708588046144019],
    p: [0.78717620713899461, 0.69589697084172264, 6.7718424313989097e-148, 3.7409830144678555e-157],
    loglik: [-15669.70531760337, -14376.84928825803],
    wald: 1269.5851113912531,
    score: 2311.5446255823522,
    lrt: 2585.7120586906785,
    concordance: [6789227, 2105273, 2934, 102174, 131, 0.76321937313611987, 0.0045941865722598117],
    zphChisq: [59.842524380811341, 0.025534927420782897, 110.9203304767353, 186.77780601948021],
    zphP: [1.0275892354119245e-14, 0.87304136643858454, 8.2026894851092273e-25, 2.6099710528377359e-39],
    zphColumnsChisq: [
      59.842524380811341, 0.025534927420782897, 78.390533481336178, 20.537957125057428, 186.77780601948021,
    ],
    zphColumnsP: [
      1.0275892354119245e-14, 0.87304136643858454, 8.4556407798404108e-19, 5.8460423306902324e-6,
      2.6099710528377359e-39,
    ],
  },
} as const;

const R_TIES = {
  efron: {
    coef: [0.095812930684798972, -0.92288569086202066],
    se: [0.81030561706502213, 0.60793900214333663],
    var: [0.65659519304712632, -0.23747477039636147, -0.23747477039636147, 0.36958983032703591],
    loglik: [-17.145632901935151, -15.585780964490393],
    wald: 2.7949274980234464,
    score: 3.0047681215385653,
    concordance: [41, 18, 0, 3, 0, 0.69491525423728817, 0.094249441754191532],
    zphChisq: [0.072549994202954785, 1.3816559361155782, 2.0444692966012634],
    zphP: [0.78765954231262603, 0.23981928248221096, 0.35979003697553602],
  },
  breslow: {
    coef: [0.02232216386054842, -0.86801553264750242],
    se: [0.80980789511906781, 0.6122251272189918],
    var: [0.65578882699717511, -0.23823132852170453, -0.23823132852170453, 0.37481960639831063],
    loglik: [-17.771640779657471, -16.356425958396436],
    wald: 2.5657963744120607,
    score: 2.7340796240467218,
    concordance: [40, 19, 0, 3, 0, 0.67796610169491522, 0.09992668571538578],
    zphChisq: [0.058193732986059496, 1.1713725803915778, 1.7825284577341276],
    zphP: [0.80937393701285165, 0.27911939161589616, 0.410136917927375],
  },
} as const;

/** The same columns, each its own term (R: cox.zph(fit, terms = FALSE)). */
function perColumn(design: DesignMatrix): DesignMatrix {
  return { ...design, terms: design.names.map((name, j) => ({ name, columns: [j] })) };
}

describe('Cox model on the Telco data, against R coxph', () => {
  const telco = loadTelco();
  const design = designMatrix(telco.table, ['MonthlyCharges', 'SeniorCitizen', 'Contract']);

  it('names the design columns as R does', () => {
    expect(design.names).toEqual(['MonthlyCharges', 'SeniorCitizen', 'ContractOne year', 'ContractTwo year']);
    expect(design.terms.map((t) => [t.name, t.columns])).toEqual([
      ['MonthlyCharges', [0]],
      ['SeniorCitizen', [1]],
      ['Contract', [2, 3]],
    ]);
  });

  for (const ties of ['efron', 'breslow'] as const) {
    it(`ties = "${ties}": coefficients, SE, tests, concordance`, () => {
      const r = R_TELCO[ties];
      const fit = coxFit(telco.tenure, telco.churn, design, { ties });
      expect(fit.ok).toBe(true);
      expect(fit.warnings).toEqual([]);
      expect(fit.n).toBe(7043);
      expect(fit.nEvents).toBe(1869);
      expectAll(fit.coefficients, r.coef, TOL_COX, 'coef');
      expectAll(fit.stdErrors, r.se, TOL_COX, 'se');
      expectAll(fit.variance.flat(), r.var, TOL_COX, 'var');
      expectAll(fit.z, r.z, TOL_COX, 'z');
      expectAll(fit.p, r.p, TOL_COX, 'p');
      expectAll([fit.logLikNull, fit.logLik], r.loglik, TOL_COX, 'loglik');
      expectAll(
        [fit.waldTest.statistic, fit.scoreTest.statistic, fit.likelihoodRatioTest.statistic],
        [r.wald, r.score, r.lrt],
        TOL_COX,
        'tests',
      );
      expect(fit.likelihoodRatioTest.df).toBe(4);
      expectAll(fit.means, [64.761692460599235, 0, 0, 0], TOL_COX, 'means');
      const c = fit.concordance;
      expectAll(
        [c.concordant, c.discordant, c.tiedRisk, c.tiedTime, c.tiedBoth, c.concordance],
        r.concordance.slice(0, 6),
        TOL_COX,
        'concordance',
      );
      // Hazard ratios and their 95% limits are exp(coef ± qnorm(0.975) se).
      expectAll(fit.hazardRatios, r.coef.map(Math.exp), TOL_COX, 'HR');
      expectAll(
        fit.hazardRatioLower,
        r.coef.map((b, j) => Math.exp(b - 1.959963984540054 * r.se[j]!)),
        TOL_COX,
        'HR lower',
      );
      expectAll(
        fit.hazardRatioUpper,
        r.coef.map((b, j) => Math.exp(b + 1.959963984540054 * r.se[j]!)),
        TOL_COX,
        'HR upper',
      );
    });

    it(`ties = "${ties}": cox.zph by term and by column`, () => {
      const r = R_TELCO[ties];
      const fit = coxFit(telco.tenure, telco.churn, design, { ties });
      const zph = coxZph(telco.tenure, telco.churn, design, fit);
      expect(zph.terms.map((t) => [t.term, t.df])).toEqual([
        ['MonthlyCharges', 1],
        ['SeniorCitizen', 1],
        ['Contract', 2],
      ]);
      expect(zph.global.df).toBe(4);
      const rows = [...zph.terms, zph.global];
      expectAll(
        rows.map((t) => t.chisq),
        r.zphChisq,
        TOL_COX,
        'zph chisq',
      );
      expectAll(
        rows.map((t) => t.p),
        r.zphP,
        TOL_COX,
        'zph p',
      );
      const byColumn = coxZph(telco.tenure, telco.churn, perColumn(design), fit);
      const rows2 = [...byColumn.terms, byColumn.global];
      expectAll(
        rows2.map((t) => t.chisq),
        r.zphColumnsChisq,
        TOL_COX,
        'zph chisq (terms = FALSE)',
      );
      expectAll(
        rows2.map((t) => t.p),
        r.zphColumnsP,
        TOL_COX,
        'zph p (terms = FALSE)',
      );
    });
  }
});

describe('Cox model on small data with ties: Efron vs Breslow, against R', () => {
  const time = [1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9];
  const status = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0];
  const table: FeatureTable = {
    rows: 14,
    columns: [
      { kind: 'numeric', name: 'x1', values: Float64Array.of(0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0) },
      {
        kind: 'numeric',
        name: 'x2',
        values: Float64Array.of(0.5, 1.2, -0.3, 0.8, 2.0, -1.0, 0.1, 0.7, 1.5, -0.4, 0.9, 0.3, -0.2, 1.1),
      },
    ],
  };
  const design = designMatrix(table);

  for (const ties of ['efron', 'breslow'] as const) {
    it(`ties = "${ties}"`, () => {
      const r = R_TIES[ties];
      const fit = coxFit(time, status, design, { ties });
      expect(fit.ok).toBe(true);
      expectAll(fit.coefficients, r.coef, TOL_COX, 'coef');
      expectAll(fit.stdErrors, r.se, TOL_COX, 'se');
      expectAll(fit.variance.flat(), r.var, TOL_COX, 'var');
      expectAll([fit.logLikNull, fit.logLik], r.loglik, TOL_COX, 'loglik');
      expectAll([fit.waldTest.statistic, fit.scoreTest.statistic], [r.wald, r.score], TOL_COX, 'tests');
      const c = fit.concordance;
      expectAll(
        [c.concordant, c.discordant, c.tiedRisk, c.tiedTime, c.tiedBoth, c.concordance],
        r.concordance.slice(0, 6),
        TOL_COX,
        'concordance',
      );
      const zph = coxZph(time, status, design, fit);
      const rows = [...zph.terms, zph.global];
      expectAll(
        rows.map((t) => t.chisq),
        r.zphChisq,
        TOL_COX,
        'zph chisq',
      );
      expectAll(
        rows.map((t) => t.p),
        r.zphP,
        TOL_COX,
        'zph p',
      );
    });
  }

  it('Efron and Breslow differ only through the ties', () => {
    const noTies = time.map((t, i) => t + i * 1e-3);
    const a = coxFit(noTies, status, design, { ties: 'efron' });
    const b = coxFit(noTies, status, design, { ties: 'breslow' });
    expectAll(a.coefficients, b.coefficients, 1e-12, 'coef');
  });
});

describe('Cox model guards', () => {
  it('separation: reports the infinite coefficient instead of NaN (R warns "coefficient may be infinite")', () => {
    const design: DesignMatrix = {
      rows: 8,
      names: ['x'],
      columns: [Float64Array.of(1, 1, 1, 1, 0, 0, 0, 0)],
      terms: [{ name: 'x', columns: [0] }],
    };
    const fit = coxFit([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 0, 1, 0, 0], design);
    expect(fit.ok).toBe(false);
    expect(fit.infinite).toEqual([true]);
    expect(fit.warnings.join(' ')).toMatch(/"x".*infinite/);
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(5);
    expect(fit.stdErrors.every((s) => !Number.isNaN(s))).toBe(true);
  });

  it('collinear covariates are reported, not returned as NaN', () => {
    const x = Float64Array.of(0.1, 0.5, 0.2, 0.9, 0.4, 0.3);
    const design: DesignMatrix = {
      rows: 6,
      names: ['a', 'b'],
      columns: [x, x.map((v) => 2 * v)],
      terms: [
        { name: 'a', columns: [0] },
        { name: 'b', columns: [1] },
      ],
    };
    const fit = coxFit([1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1], design);
    expect(fit.ok).toBe(false);
    expect(fit.warnings.join(' ')).toMatch(/not positive definite|singular/);
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
  });

  it('rejects unusable input', () => {
    const design: DesignMatrix = {
      rows: 2,
      names: ['x'],
      columns: [Float64Array.of(0, 1)],
      terms: [{ name: 'x', columns: [0] }],
    };
    expect(() => coxFit([1, 2], [0, 0], design)).toThrow(SurvivalInputError);
    expect(() => coxFit([1, 2], [1], design)).toThrow(SurvivalInputError);
    expect(() => coxFit([1, 2], [1, 1], { ...design, columns: [Float64Array.of(0, NaN)] })).toThrow(
      SurvivalInputError,
    );
    expect(() => coxFit([1, 2], [1, 1], design, { ties: 'exact' as 'efron' })).toThrow(RangeError);
  });

  it('design matrix: dummy coding against the first used level, missing values rejected', () => {
    const table: FeatureTable = {
      rows: 4,
      columns: [
        { kind: 'categorical', name: 'Plan', levels: ['A', 'B', 'C'], codes: Int32Array.of(1, 2, 2, 1) },
      ],
    };
    const d = designMatrix(table);
    expect(d.names).toEqual(['PlanC']);
    expect(Array.from(d.columns[0]!)).toEqual([0, 1, 1, 0]);
    const missing: FeatureTable = {
      rows: 2,
      columns: [{ kind: 'categorical', name: 'Plan', levels: ['A'], codes: Int32Array.of(0, -1) }],
    };
    expect(() => designMatrix(missing)).toThrow(SurvivalInputError);
    expect(() => designMatrix(table, ['Nope'])).toThrow(SurvivalInputError);
  });

  it('concordance counts pairs as R does', () => {
    // Perfectly concordant, then with a tie in the score and two events at the same time.
    expect(concordance([1, 2, 3], [1, 1, 0], [3, 2, 1]).concordance).toBe(1);
    const c = concordance([1, 1, 2, 3], [1, 1, 1, 0], [2, 2, 2, 1]);
    expect(c).toMatchObject({ concordant: 3, discordant: 0, tiedRisk: 2, tiedTime: 0, tiedBoth: 1 });
  });
});
