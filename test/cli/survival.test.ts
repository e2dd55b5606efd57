// `retain survival ...` as a user runs it: R's numbers on the Telco file, hand-counted workspaces, errors,
// charts, and the demo workspace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/index.js';
import { openWorkspace } from '../../src/workspace.js';
import { CHURN_EVENTS, CUSTOMERS, SUBSCRIPTIONS } from '../analysis/survival/workspaces.js';
import { DATASETS, retain, tempDir, writeText } from '../helpers.js';

const TELCO = join(DATASETS, 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
const TELCO_ARGS = ['--table', TELCO, '--time', 'tenure', '--event', 'Churn=Yes'];

// R survival 3.5-3 (test/models/survival/kaplan-meier.test.ts, cox.test.ts; reference/telco.R)
const R_OVERALL = {
  survival: [0.84319955381583134, 0.78873639837059883],
  lower: [0.83444088894320867, 0.7785928079381198],
  upper: [0.85205015355330471, 0.79901214058487302],
  nRisk: [4974, 3927],
};
const R_CONTRACT = {
  group: ['Month-to-month', 'One year', 'Two year'],
  survival: [
    [0.70309663634886599, 0.58591547390466736],
    [0.99080820407486558, 0.97827237642791509],
    [1, 1],
  ],
  lower: [
    [0.68774503381911301, 0.56807214982957965],
    [0.98584530470597243, 0.97046630880020401],
    [1, 1],
  ],
  upper: [
    [0.71879091194587885, 0.60431926237524436],
    [0.99579608745497039, 0.98614123314088953],
    [1, 1],
  ],
  median: [35, null, null],
  medianLower: [32, 72, null],
  medianUpper: [38, null, null],
  chisq: 2352.8725382593384,
};
const R_COX = {
  names: ['MonthlyCharges', 'SeniorCitizen', 'ContractOne year', 'ContractTwo year'],
  coef: [0.00013429559151501063, 0.022768568794846483, -2.1871047829691186, -4.2174382155966903],
  se: [0.00091775640909166098, 0.054881588404764745, 0.083866269707346355, 0.15725705084878819],
  p: [0.88366062942625467, 0.67823915055151018, 6.397161998935684e-150, 1.9530145018762675e-158],
  concordance: 0.7632405028236231,
  zphGlobal: 191.12661137336232,
};

const near = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(expected)),
  );

let dir: string;
let cleanup: () => void;
let handDb: string;
let demoDb: string;

const run = (args: string[]) => {
  const r = retain(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
const json = (args: string[]) => JSON.parse(run([...args, '--json']));
const fails = (args: string[]) => {
  const r = retain(args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  return r.stderr;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  handDb = join(dir, 'hand.duckdb');
  for (const [table, lines] of [
    ['customers', CUSTOMERS],
    ['subscriptions', SUBSCRIPTIONS],
    ['churn_events', CHURN_EVENTS],
  ] as const) {
    run(['--db', handDb, 'import', table, writeText(dir, `${table}.csv`, lines.join('\n') + '\n')]);
  }
  demoDb = join(dir, 'demo.duckdb');
  const engine = await openWorkspace({ db: demoDb });
  try {
    await generateDemo(engine, { customers: 2000, seed: 1 });
  } finally {
    await engine.close();
  }
}, 120_000);
afterAll(() => cleanup());

describe('retain survival km --table', () => {
  it("gives R's overall survival at 12 and 24 months", () => {
    const r = json(['survival', 'km', ...TELCO_ARGS, '--at', '12,24']);
    expect(r).toMatchObject({ source: 'table', file: TELCO, time: 'tenure', event: 'Churn=Yes', by: null });
    expect([r.subjects, r.events]).toEqual([7043, 1869]);
    expect(r.logRank).toBeUndefined();
    const [all] = r.groups;
    expect(all.group).toBe('all');
    expect(all.median).toBeNull(); // the curve stays above one half, R prints NA
    all.survival.forEach((s: Record<string, number>, i: number) => {
      expect(s.time).toBe([12, 24][i]);
      expect(s.nRisk).toBe(R_OVERALL.nRisk[i]);
      near(s.survival!, R_OVERALL.survival[i]!, 1e-6);
      near(s.lower!, R_OVERALL.lower[i]!, 1e-6);
      near(s.upper!, R_OVERALL.upper[i]!, 1e-6);
    });
  });

  it("gives R's survival, medians and log-rank test by Contract, and draws the curves", () => {
    const chart = join(dir, 'km.svg');
    const r = json(['survival', 'km', ...TELCO_ARGS, '--by', 'Contract', '--at', '24,12', '--chart', chart]);
    expect(r.at).toEqual([12, 24]);
    expect(r.groups.map((g: { group: string }) => g.group)).toEqual(R_CONTRACT.group);
    r.groups.forEach((g: Record<string, unknown>, k: number) => {
      const survival = g.survival as Record<string, number>[];
      survival.forEach((s, i) => {
        near(s.survival!, R_CONTRACT.survival[k]![i]!, 1e-6);
        near(s.lower!, R_CONTRACT.lower[k]![i]!, 1e-6);
        near(s.upper!, R_CONTRACT.upper[k]![i]!, 1e-6);
      });
      expect([g.median, g.medianLower, g.medianUpper]).toEqual([
        R_CONTRACT.median[k],
        R_CONTRACT.medianLower[k],
        R_CONTRACT.medianUpper[k],
      ]);
    });
    expect(r.logRank.df).toBe(2);
    near(r.logRank.chisq, R_CONTRACT.chisq, 1e-6);
    expect(r.logRank.p).toBe(0); // exp(-1176) underflows, as in R
    expect(r.chart).toBe(chart);
    const svg = readFileSync(chart, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const g of R_CONTRACT.group) expect(svg).toContain(g);
  });

  it('prints a readable table without --json', () => {
    const out = run(['survival', 'km', ...TELCO_ARGS, '--by', 'Contract', '--at', '12']);
    expect(out).toContain('log-rank test: chi-square 2352.87 on 2 df');
    expect(out).toMatch(/Month-to-month\s+12\s+1967\s+0\.7031/);
  });
});

describe('retain survival cox --table', () => {
  it("gives R's Cox coefficients, concordance and PH test", () => {
    const r = json([
      'survival',
      'cox',
      ...TELCO_ARGS,
      '--covariates',
      'MonthlyCharges,SeniorCitizen,Contract',
    ]);
    expect(Object.keys(r.coefficients)).toEqual(R_COX.names);
    R_COX.names.forEach((name, j) => {
      const c = r.coefficients[name];
      near(c.coef, R_COX.coef[j]!, 1e-4);
      near(c.se, R_COX.se[j]!, 1e-4);
      expect(Math.abs(c.p - R_COX.p[j]!)).toBeLessThanOrEqual(1e-4 * R_COX.p[j]!);
      near(c.hr, Math.exp(R_COX.coef[j]!), 1e-4);
    });
    near(r.concordance, R_COX.concordance, 1e-4);
    near(r.proportionalHazards.global.chisq, R_COX.zphGlobal, 1e-4);
    expect(r.references).toEqual({ Contract: 'Month-to-month' });
    expect([r.n, r.events, r.ties]).toEqual([7043, 1869, 'efron']);
    expect(r.tests.likelihoodRatio.df).toBe(4);
  });
});

describe('retain survival: input errors exit 1 and say where', () => {
  it('names a missing column with the file', () => {
    const err = fails(['survival', 'km', '--table', TELCO, '--time', 'tenur', '--event', 'Churn=Yes']);
    expect(err).toContain(`${TELCO}: no column "tenur" (--time)`);
    expect(fails(['survival', 'cox', ...TELCO_ARGS, '--covariates', 'Contrakt'])).toContain(
      `${TELCO}: no column "Contrakt" (--covariates)`,
    );
  });

  it('names an event value that never occurs', () => {
    const err = fails(['survival', 'km', '--table', TELCO, '--time', 'tenure', '--event', 'Churn=yes']);
    expect(err).toContain(
      `${TELCO}: column "Churn" never has the event value "yes" (--event); values seen: "No", "Yes"`,
    );
  });

  it('names the row of a non-numeric or negative time', () => {
    const bad = writeText(dir, 'bad.csv', 'id,t,churn\na,3,Yes\nb,x3,No\n');
    expect(fails(['survival', 'km', '--table', bad, '--time', 't', '--event', 'churn=Yes'])).toContain(
      `${bad}: row 2, column "t": time "x3" is not a number`,
    );
    const negative = writeText(dir, 'neg.csv', 'id,t,churn\na,3,Yes\nb,2,No\nc,-1,No\n');
    expect(
      fails([
        'survival',
        'cox',
        '--table',
        negative,
        '--time',
        't',
        '--event',
        'churn=Yes',
        '--covariates',
        'id',
      ]),
    ).toContain(`${negative}: row 3, column "t": time -1 is negative`);
  });

  it('rejects options that do not fit together', () => {
    expect(fails(['survival', 'km', '--table', TELCO, '--event', 'Churn=Yes'])).toContain(
      '--time COLUMN is required',
    );
    expect(fails(['survival', 'km', ...TELCO_ARGS.slice(0, 4), '--event', 'Churn'])).toContain(
      '--event must be COLUMN=VALUE',
    );
    expect(fails(['--db', handDb, 'survival', 'km', '--time', 'tenure'])).toContain(
      '--time and --event name the columns',
    );
    expect(fails(['--db', handDb, 'survival', 'km', '--by', 'Contract'])).toContain(
      '--by must be one of region',
    );
    expect(fails(['survival', 'cox', ...TELCO_ARGS])).toContain('--covariates A,B,C is required');
    expect(fails(['survival', 'km', ...TELCO_ARGS, '--table', join(dir, 'nope.csv')])).toContain(
      'no such file',
    );
  });
});

describe('retain survival on a hand-built workspace', () => {
  it('km from subscriptions as of a date', () => {
    const r = json([
      '--db',
      handDb,
      'survival',
      'km',
      '--as-of',
      '2024-12-31',
      '--by',
      'plan',
      '--at',
      '100',
    ]);
    expect(r.source).toBe('subscriptions');
    expect(r.unit).toBe('days');
    expect(r.groups.map((g: { group: string; n: number }) => [g.group, g.n])).toEqual([
      ['basic', 4],
      ['pro', 3],
    ]);
    near(r.logRank.chisq, 5 / 877, 1e-12);
  });

  it('cohorts: the matrix with null unobserved cells and a heatmap', () => {
    const chart = join(dir, 'cohorts.svg');
    const r = json(['--db', handDb, 'survival', 'cohorts', '--as-of', '2024-12-31', '--chart', chart]);
    expect(r.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-06',
    ]);
    expect(r.cohorts[0].share).toEqual([1, 1, 0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(r.cohorts[3].active).toEqual([1, 1, 1, 0, 0, 0, 0, null, null, null, null, null]);
    const svg = readFileSync(chart, 'utf8');
    for (const c of ['2024-01', '2024-06', '75%']) expect(svg).toContain(c);
    const limited = json(['--db', handDb, 'survival', 'cohorts', '--as-of', '2024-12-31', '--months', '3']);
    expect(limited.periods).toEqual([0, 1, 2, 3]);
  });

  it('cox on workspace covariates', () => {
    const r = json(['--db', handDb, 'survival', 'cox', '--as-of', '2024-12-31', '--covariates', 'plan,age']);
    expect([r.n, r.excluded]).toEqual([5, 2]);
    expect(Object.keys(r.coefficients)).toEqual(['planpro', 'age']);
  });
});

describe('retain survival on the demo workspace', () => {
  it('km --by plan in months with a chart', () => {
    const chart = join(dir, 'demo-km.svg');
    const r = json(['--db', demoDb, 'survival', 'km', '--by', 'plan', '--unit', 'months', '--chart', chart]);
    expect(r.source).toBe('subscriptions');
    expect(r.asOf).toBe('2025-12-31');
    expect(r.groups.length).toBeGreaterThan(1);
    expect(r.logRank.df).toBe(r.groups.length - 1);
    expect(r.logRank.p).toBeLessThan(0.05); // the demo plants plan differences
    for (const g of r.groups) {
      const s = g.survival.map((x: { survival: number }) => x.survival);
      expect(s).toEqual([...s].sort((a: number, b: number) => b - a)); // never increases
    }
    const svg = readFileSync(chart, 'utf8');
    for (const g of r.groups) expect(svg).toContain(g.group);
  });

  it('cohorts over the whole history', () => {
    const r = json(['--db', demoDb, 'survival', 'cohorts']);
    expect(r.period).toBe('month');
    const km = json(['--db', demoDb, 'survival', 'km']);
    expect(r.customers).toBe(km.subjects);
    for (const c of r.cohorts) {
      expect(c.share[0]).toBeLessThanOrEqual(1);
      expect(c.share[c.periodsObserved]).not.toBeNull();
      if (c.periodsObserved + 1 < r.periods.length) expect(c.share[c.periodsObserved + 1]).toBeNull();
    }
    expect(existsSync(demoDb)).toBe(true);
  });
});
