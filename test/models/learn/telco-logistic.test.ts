/**
 * The linear churn model on the IBM Telco data with the fixed 70/30 split (test/fixtures/telco-test-ids.txt).
 *
 * Every scikit-learn number below was confirmed with scikit-learn 1.2.1, script
 * reference/telco_logistic.py (run from the repository root). Python is not needed to run these tests.
 */
import { describe, expect, it } from 'vitest';
import { logisticImportance, explainLogistic } from '../../../src/models/learn/logistic-explain.js';
import { logisticModelFromJson, logisticModelToJson } from '../../../src/models/learn/logistic-json.js';
import {
  coefficientNames,
  fitLogisticRegression,
  predictLogistic,
  type LogisticModel,
} from '../../../src/models/learn/logistic-regression.js';
import { averagePrecision } from '../../../src/models/learn/metrics/average-precision.js';
import { brierScore } from '../../../src/models/learn/metrics/brier-score.js';
import { logLoss } from '../../../src/models/learn/metrics/log-loss.js';
import { rocAuc } from '../../../src/models/learn/metrics/roc-auc.js';
import { topDecileLift } from '../../../src/models/learn/metrics/top-decile-lift.js';
import { loadTelco } from './telco.js';

/**
 * Part A of the script: OneHotEncoder + (mean imputation, StandardScaler) + LogisticRegression() with its
 * defaults (lbfgs stops at its default 100 iterations here), trained on the 4930 training rows.
 */
const SKLEARN_PLAIN_TEST = {
  auc: 0.8487880625539812,
  ap: 0.6444143313084999,
  logLoss: 0.4121699932082498,
  brier: 0.13541393437766724,
};

/** Part B: Retain's encoding rebuilt in numpy, fitted to tight tolerance (KKT violation below 1e-9). */
const SKLEARN_L2_C1 = {
  intercept: -2.087528222587164,
  objective: 2050.0188621016637,
  coef: [
    -0.0162619723, 0.0162619723, 0.0601246195, 0.0023862223, -0.0023862223, 0.0694287204, -0.0694287205,
    -1.2888994656, 0.1018890432, -0.1018890433, -0.2062010312, 0.1018890432, 0.104311988, -0.3827725947,
    0.4786126138, -0.0958400192, 0.2268311026, -0.0958400192, -0.1309910835, 0.0949557646, -0.0958400192,
    0.0008842546, 0.0750312562, -0.0958400192, 0.020808763, 0.2072028779, -0.0958400192, -0.1113628588,
    -0.0426321678, -0.0958400192, 0.1384721869, -0.0520822837, -0.0958400192, 0.1479223028, 0.6404783232,
    0.0552253877, -0.695703711, -0.1924611387, 0.1924611386, -0.0331266032, -0.1569609588, 0.2965502532,
    -0.1064626912, -0.0763368081, 0.493106367, -0.6329344772,
  ],
  test: {
    auc: 0.8489212929782972,
    ap: 0.644640276224742,
    logLoss: 0.4120288292989287,
    brier: 0.13538047557508023,
  },
};

const SKLEARN_L2_C005_BALANCED = {
  intercept: -0.9083479396721228,
  objective: 2422.761938810696,
  coef: [
    -0.0220526806, 0.0220526806, 0.0683008529, 0.0101526032, -0.0101526032, 0.0821131275, -0.0821131275,
    -0.8769436569, 0.1097524264, -0.1097524264, -0.1740570772, 0.1097524264, 0.0643046509, -0.2786325261,
    0.3366922749, -0.0580597489, 0.2248446246, -0.0580597489, -0.1667848757, 0.0874524573, -0.0580597489,
    -0.0293927084, 0.0887241595, -0.0580597489, -0.0306644107, 0.1924566619, -0.0580597489, -0.134396913,
    -0.0274558478, -0.0580597489, 0.0855155967, -0.0455370786, -0.0580597489, 0.1035968274, 0.6046014276,
    0.001253875, -0.6058553026, -0.1655927666, 0.1655927666, -0.052380884, -0.1447798136, 0.2947973997,
    -0.0976367022, 0.2202179613, 0.1264945187, -0.0596305047,
  ],
};

/**
 * L1 with a full one-hot encoding has a set of optimal coefficient vectors (see the script), so only the
 * objective and the fitted probabilities, which are unique, are compared (saga, tol 1e-12).
 */
const SKLEARN_L1_C002 = {
  objective: 2263.902175387976,
  zeros: 35,
  firstTestProbabilities: [
    0.09251429345768837, 0.04528814637791305, 0.038285696970049264, 0.2824198943573739, 0.13595370870944082,
  ],
  testAuc: 0.8413931997353767,
};

const SKLEARN_ENET_C005_R05 = {
  intercept: -2.430562991519089,
  objective: 2118.0698128522854,
  coef: [
    0.0, 0.0, 0.0670785263, 0.0, 0.0, 0.051530266, -0.051530266, -0.8433066866, 0.015833402, -0.015833402,
    -0.2646229894, 0.015833402, 0.0, -0.0639330899, 0.5334122204, 0.0, 0.3537970496, 0.0, 0.0, 0.0693186064,
    0.0, 0.0, 0.0203874023, 0.0, 0.0, 0.3113920201, 0.0, 0.0, 0.0, 0.0, 0.0785772841, 0.0, 0.0, 0.1058612693,
    0.5728998891, 0.0, -0.4220178501, -0.1700661084, 0.1700661084, 0.0, -0.0138399207, 0.3687293612, 0.0,
    0.2079143561, 0.0, 0.0,
  ],
};

function expectCoefficients(
  model: LogisticModel,
  ref: { intercept: number; coef: number[] },
  tol: number,
): void {
  expect(model.coefficients).toHaveLength(ref.coef.length);
  expect(Math.abs(model.intercept - ref.intercept)).toBeLessThan(tol);
  const names = coefficientNames(model);
  model.coefficients.forEach((b, j) => {
    if (!(Math.abs(b - ref.coef[j]!) < tol))
      expect.fail(`${names[j]}: ours ${b}, scikit-learn ${ref.coef[j]}`);
  });
}

describe('logistic regression on the Telco data', () => {
  const telco = loadTelco();

  it('reads the file as expected', () => {
    expect(telco.all.features.rows).toBe(7043);
    expect(telco.train.features.rows).toBe(4930);
    expect(telco.test.features.rows).toBe(2113);
    const total = telco.all.features.columns.find((c) => c.name === 'TotalCharges')!;
    expect(total.kind).toBe('numeric');
    if (total.kind === 'numeric') expect(total.values.filter(Number.isNaN).length).toBe(11);
    expect(telco.all.features.columns.find((c) => c.name === 'SeniorCitizen')!.kind).toBe('numeric');
  });

  it('meets the bar: default model test ROC AUC >= scikit-learn LogisticRegression()', () => {
    const model = fitLogisticRegression(telco.train);
    expect(model.fit.converged).toBe(true);
    const p = predictLogistic(model, telco.test.features);
    const auc = rocAuc(p, telco.test.labels);
    expect(auc).toBeGreaterThanOrEqual(SKLEARN_PLAIN_TEST.auc);
    expect(auc).toBeCloseTo(SKLEARN_L2_C1.test.auc, 8);
    // The other test metrics are no worse than the plain pipeline's either.
    expect(averagePrecision(p, telco.test.labels)).toBeGreaterThanOrEqual(SKLEARN_PLAIN_TEST.ap);
    expect(logLoss(p, telco.test.labels)).toBeLessThanOrEqual(SKLEARN_PLAIN_TEST.logLoss);
    expect(brierScore(p, telco.test.labels)).toBeLessThanOrEqual(SKLEARN_PLAIN_TEST.brier);
    expect(averagePrecision(p, telco.test.labels)).toBeCloseTo(SKLEARN_L2_C1.test.ap, 8);
    expect(logLoss(p, telco.test.labels)).toBeCloseTo(SKLEARN_L2_C1.test.logLoss, 8);
    expect(brierScore(p, telco.test.labels)).toBeCloseTo(SKLEARN_L2_C1.test.brier, 8);
    expect(topDecileLift(p, telco.test.labels)).toBeGreaterThan(2.5);
  });

  it('L2 coefficients match scikit-learn on the same encoding (C = 1)', () => {
    const model = fitLogisticRegression(telco.train, { C: 1 });
    expect(coefficientNames(model).slice(-3)).toEqual([
      'MonthlyCharges',
      'TotalCharges',
      'TotalCharges=<missing>',
    ]);
    expectCoefficients(model, SKLEARN_L2_C1, 1e-6);
    expect(Math.abs(model.fit.objective - SKLEARN_L2_C1.objective)).toBeLessThan(1e-7);
  });

  it("L2 coefficients match scikit-learn with C = 0.05 and class_weight='balanced'", () => {
    const model = fitLogisticRegression(telco.train, { C: 0.05, classWeight: 'balanced' });
    expectCoefficients(model, SKLEARN_L2_C005_BALANCED, 1e-6);
    expect(Math.abs(model.fit.objective - SKLEARN_L2_C005_BALANCED.objective)).toBeLessThan(1e-7);
  });

  it('L1 reaches the same optimum as scikit-learn (saga) with exact zeros', () => {
    const model = fitLogisticRegression(telco.train, { penalty: 'l1', C: 0.02 });
    expect(model.fit.converged).toBe(true);
    expect(Math.abs(model.fit.objective - SKLEARN_L1_C002.objective)).toBeLessThan(1e-7);
    const zeros = model.coefficients.filter((b) => b === 0).length;
    // Exact zeros, and at least as many as saga's point of the (non-unique) optimal set.
    expect(zeros).toBeGreaterThanOrEqual(SKLEARN_L1_C002.zeros);
    const p = predictLogistic(model, telco.test.features);
    SKLEARN_L1_C002.firstTestProbabilities.forEach((q, i) => expect(Math.abs(p[i]! - q)).toBeLessThan(1e-8));
    expect(rocAuc(p, telco.test.labels)).toBeCloseTo(SKLEARN_L1_C002.testAuc, 8);
  });

  it('elastic-net coefficients match scikit-learn (saga), zeros included', () => {
    const model = fitLogisticRegression(telco.train, { penalty: 'elasticnet', C: 0.05, l1Ratio: 0.5 });
    expectCoefficients(model, SKLEARN_ENET_C005_R05, 1e-6);
    model.coefficients.forEach((b, j) => expect(b === 0).toBe(SKLEARN_ENET_C005_R05.coef[j] === 0));
    expect(Math.abs(model.fit.objective - SKLEARN_ENET_C005_R05.objective)).toBeLessThan(1e-7);
  });

  it('explains rows and ranks columns; survives a JSON round trip', () => {
    const model = fitLogisticRegression(telco.train);
    const [first] = explainLogistic(
      model,
      telco.test.features.rows ? telco.test.features : telco.test.features,
    );
    const p = predictLogistic(model, telco.test.features);
    expect(first!.probability).toBeCloseTo(p[0]!, 12);
    const sum = first!.contributions.reduce((s, c) => s + c.contribution, first!.intercept);
    expect(sum).toBeCloseTo(first!.logit, 12);
    const contract = first!.contributions.find((c) => c.column === 'Contract')!;
    expect(contract.level).not.toBeNull();
    const importance = logisticImportance(model, telco.train.features);
    expect(importance).toHaveLength(19);
    expect(importance[0]!.column).toBe('tenure');
    const loaded = logisticModelFromJson(logisticModelToJson(model));
    expect(loaded).toEqual(model);
    expect(predictLogistic(loaded, telco.test.features)).toEqual(p);
  });
});
