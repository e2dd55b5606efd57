// Cox analysis: the Telco file against R's coxph / cox.zph, the workspace against a direct fit.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coxAnalysis } from '../../../src/analysis/survival/cox-analysis.js';
import { readTextTable, type TextTable } from '../../../src/data/read-text-table.js';
import { coxFit } from '../../../src/models/survival/cox.js';
import { designMatrix } from '../../../src/models/survival/design.js';
import { DATASETS } from '../../helpers.js';
import { subscriptionWorkspace, type Ws } from './workspaces.js';

// R survival 3.5-3: coxph(Surv(tenure, Churn == "Yes") ~ MonthlyCharges + SeniorCitizen + Contract)
// (test/models/survival/cox.test.ts, reference/telco.R)
const R = {
  coef: [0.00013429559151501063, 0.022768568794846483, -2.1871047829691186, -4.2174382155966903],
  se: [0.00091775640909166098, 0.054881588404764745, 0.083866269707346355, 0.15725705084878819],
  p: [0.88366062942625467, 0.67823915055151018, 6.397161998935684e-150, 1.9530145018762675e-158],
  loglik: [-15653.039635111487, -14343.456120178667],
  concordance: 0.7632405028236231,
  zphGlobal: 191.12661137336232,
};
const close = (actual: number, expected: number, tol = 1e-4) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

let ws: Ws;
let telco: TextTable;
beforeAll(async () => {
  ws = await subscriptionWorkspace();
  telco = await readTextTable(join(DATASETS, 'WA_Fn-UseC_-Telco-Customer-Churn.csv'));
});
afterAll(() => ws.cleanup());

describe('coxAnalysis', () => {
  it('reproduces R on the Telco file, dummy-coding Contract against its first level', async () => {
    const cox = await coxAnalysis(
      { table: telco, time: 'tenure', event: 'Churn=Yes' },
      { covariates: ['MonthlyCharges', 'SeniorCitizen', 'Contract'] },
    );
    expect(cox.terms).toEqual(['MonthlyCharges', 'SeniorCitizen', 'ContractOne year', 'ContractTwo year']);
    expect(cox.references).toEqual({ Contract: 'Month-to-month' });
    expect([cox.n, cox.events, cox.excluded]).toEqual([7043, 1869, 0]);
    cox.terms.forEach((name, j) => {
      const c = cox.coefficients[name]!;
      close(c.coef, R.coef[j]!);
      close(c.se, R.se[j]!);
      expect(Math.abs(c.p - R.p[j]!)).toBeLessThanOrEqual(1e-4 * R.p[j]!);
      close(c.hr, Math.exp(R.coef[j]!));
    });
    close(cox.logLik.null, R.loglik[0]!);
    close(cox.logLik.model, R.loglik[1]!);
    close(cox.concordance, R.concordance);
    close(cox.proportionalHazards.global.chisq, R.zphGlobal);
    expect(cox.proportionalHazards.terms.map((t) => t.term)).toEqual([
      'MonthlyCharges',
      'SeniorCitizen',
      'Contract',
    ]);
    expect(cox.converged).toBe(true);
    expect(cox.warnings).toEqual([]);
  });

  it('leaves out rows with a missing covariate (TotalCharges is blank for 11 customers)', async () => {
    const cox = await coxAnalysis(
      { table: telco, time: 'tenure', event: 'Churn=Yes' },
      { covariates: ['TotalCharges'] },
    );
    expect([cox.n, cox.excluded]).toEqual([7032, 11]);
  });

  it('fits the workspace relationships like a direct fit on the same rows', async () => {
    const cox = await coxAnalysis({ engine: ws.engine, asOf: '2024-12-31' }, { covariates: ['plan', 'age'] });
    // D and G have no age: left out. A basic 30 (60, ended), B pro 40 (182, ended), C basic 50, E basic 35,
    // F pro 45 (censored at 365, 334, 365).
    expect([cox.source, cox.n, cox.events, cox.excluded]).toEqual(['subscriptions', 5, 2, 2]);
    expect(cox.references).toEqual({ plan: 'basic' });
    const direct = coxFit(
      [60, 182, 365, 334, 365],
      [1, 1, 0, 0, 0],
      designMatrix({
        rows: 5,
        columns: [
          {
            kind: 'categorical',
            name: 'plan',
            levels: ['basic', 'pro'],
            codes: Int32Array.of(0, 1, 0, 0, 1),
          },
          { kind: 'numeric', name: 'age', values: Float64Array.of(30, 40, 50, 35, 45) },
        ],
      }),
    );
    expect(cox.terms).toEqual(['planpro', 'age']);
    expect(cox.coefficients.planpro!.coef).toBeCloseTo(direct.coefficients[0]!, 10);
    expect(cox.coefficients.age!.se).toBeCloseTo(direct.stdErrors[1]!, 10);
    expect(cox.concordance).toBeCloseTo(direct.concordance.concordance, 12);
  });

  it('drops a covariate with one value and rejects unknown or repeated ones', async () => {
    const t: TextTable = {
      file: 't.csv',
      header: ['time', 'dead', 'x', 'const'],
      rows: [
        ['1', '1', '0.5', 'a'],
        ['2', '0', '1.5', 'a'],
        ['3', '1', '0.1', 'a'],
        ['4', '1', '2.5', 'a'],
      ],
    };
    const src = { table: t, time: 'time', event: 'dead=1' };
    const cox = await coxAnalysis(src, { covariates: ['x', 'const'] });
    expect(cox.terms).toEqual(['x']);
    expect(cox.warnings[0]).toBe('covariate "const" has a single value: left out');
    await expect(coxAnalysis(src, { covariates: ['y'] })).rejects.toThrow(
      't.csv: no column "y" (--covariates); columns: time, dead, x, const',
    );
    await expect(coxAnalysis(src, { covariates: ['x', 'x'] })).rejects.toThrow(
      'covariate "x" is listed twice',
    );
    await expect(coxAnalysis(src, { covariates: ['time'] })).rejects.toThrow(
      't.csv: covariate "time" is the time or the event column',
    );
    await expect(coxAnalysis({ engine: ws.engine }, { covariates: ['Contract'] })).rejects.toThrow(
      /workspace covariates are region, plan, channel, segment, gender, monthly_fee, age/,
    );
  });
});
