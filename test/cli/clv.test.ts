import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'cdnow.duckdb');
  const r = retain([
    '--db',
    db,
    'import',
    'transactions',
    join(DATASETS, 'CDNOW_sample.txt'),
    '--no-header',
    '--map',
    'customer_id=2,date=3,quantity=4,amount=5',
  ]);
  expect(r.code).toBe(0);
});
afterAll(() => cleanup());

const json = (args: string[]) => {
  const r = retain(['--db', db, ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('retain clv formula, cohort, lifespan', () => {
  it('reproduces DOMAIN 4.2.a and 4.2.b', () => {
    const profit = json([
      'clv',
      'formula',
      '--model',
      'profit',
      '--p0',
      '2000',
      '--c0',
      '400',
      '--revenue',
      '500',
      '--cost',
      '10',
      '--rate',
      '0.09',
      '--years',
      '5',
    ]);
    expect(profit.clv).toBeCloseTo(3505.93, 2);
    expect(profit.inputs).toMatchObject({
      firstPurchase: 2000,
      acquisitionCost: 400,
      yearlyRevenue: 500,
      yearlyCost: 10,
      rate: 0.09,
      years: 5,
    });
    const revenue = json([
      'clv',
      'formula',
      '--model',
      'revenue',
      '--p0',
      '2000',
      '--revenue',
      '500',
      '--rate',
      '0.09',
      '--years',
      '5',
    ]);
    expect(revenue.clv).toBeCloseTo(3944.83, 2);
    const b = json([
      'clv',
      'formula',
      '--model',
      'contribution',
      '--revenue',
      '450',
      '--cost',
      '100',
      '--rate',
      '0.09',
      '--years',
      '5',
    ]);
    expect(b.clv).toBeCloseTo(1361.38, 2);
    const simple = json([
      'clv',
      'formula',
      '--model',
      'simple',
      '--aov',
      '100',
      '--purchases-per-year',
      '24',
      '--years',
      '20',
    ]);
    expect(simple.clv).toBe(48000);
  });

  it('prints the cohort table with every column, and lifespan with equity', () => {
    const config = join(dir, 'cohort.json');
    writeFileSync(
      config,
      JSON.stringify({
        acquired: 10000,
        acquisitionCostPerCustomer: 60,
        discountRate: 0.1,
        riskFactor: 1.5,
        years: [
          {
            retentionRate: 0.4,
            ordersPerCustomer: 1.8,
            averageOrderValue: 90,
            variableCostRate: 0.7,
            marketingCostPerCustomer: 20,
          },
          {
            retentionRate: 0.5,
            ordersPerCustomer: 2.5,
            averageOrderValue: 95,
            variableCostRate: 0.65,
            marketingCostPerCustomer: 20,
          },
        ],
      }),
    );
    const table = json(['clv', 'cohort', '--config', config]);
    expect(Object.keys(table.rows[0])).toEqual([
      'year',
      'retentionRate',
      'customers',
      'ordersPerCustomer',
      'averageOrderValue',
      'revenue',
      'variableCosts',
      'marketingCost',
      'acquisitionCost',
      'totalCosts',
      'grossProfit',
      'discountFactor',
      'npvProfit',
      'cumulativeNpv',
      'lifetimeValuePerCustomer',
    ]);
    expect(table.rows[1].customers).toBe(4000);
    const text = retain(['clv', 'cohort', '--config', config]);
    expect(text.stdout).toContain('LTV/customer');
    expect(json(['clv', 'lifespan', '--customers', '10000', '--lost', '2500', '--clv', '300'])).toEqual({
      customers: 10000,
      lostPerYear: 2500,
      lifespanYears: 4,
      clvPerCustomer: 300,
      customerEquity: 3000000,
    });
  });

  it('rejects bad formula input with exit 1', () => {
    const r = retain([
      'clv',
      'formula',
      '--model',
      'profit',
      '--revenue',
      'lots',
      '--rate',
      '0.1',
      '--years',
      '5',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--revenue must be a number');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "acquired": 10 ');
    expect(retain(['clv', 'cohort', '--config', bad]).stderr).toContain('cannot read the cohort config');
  });
});

describe('retain clv fit / predict / summary', () => {
  it('fits with the documented JSON shape and saves to a file', () => {
    const saved = join(dir, 'bgnbd.json');
    const fit = json([
      'clv',
      'fit',
      '--model',
      'bgnbd',
      '--calibration-end',
      '1997-09-30',
      '--time-unit',
      'week',
      '--save',
      saved,
    ]);
    expect(Object.keys(fit)).toEqual(
      expect.arrayContaining([
        'model',
        'params',
        'logLikelihood',
        'standardErrors',
        'customers',
        'converged',
      ]),
    );
    expect(Object.keys(fit.params)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(fit.params.r).toBeCloseTo(0.2425945, 5);
    expect(fit.logLikelihood).toBeCloseTo(-9582.429, 2);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({
      format: 'retain-model-fit',
      model: 'bgnbd',
      timeUnit: 'week',
    });
    const sbg = json(['clv', 'fit', '--model', 'sbg', '--survivors', '1000,869,743,653,593,551,517,491']);
    expect(sbg.params.alpha).toBeCloseTo(0.668, 3);
    expect(sbg.params.beta).toBeCloseTo(3.806, 3);
  });

  it('predicts from the workspace fits, writes every customer, lists the top ones', () => {
    json(['clv', 'fit', '--model', 'gg', '--calibration-end', '1997-09-30']);
    json(['clv', 'fit', '--model', 'bgnbd', '--calibration-end', '1997-09-30']);
    const out = join(dir, 'clv.csv');
    const p = json(['clv', 'predict', '--horizon', '39', '--out', out, '--limit', '3']);
    expect(p).toMatchObject({
      model: 'bgnbd',
      spendModel: 'gg',
      customers: 2357,
      horizon: 39,
      timeUnit: 'week',
    });
    expect(p.topCustomers).toHaveLength(3);
    expect(p.topCustomers[0].clv).toBeGreaterThanOrEqual(p.topCustomers[1].clv);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2358);
    expect(lines[0]).toBe('customer_id,x,t_x,T,probability_alive,expected_transactions,expected_spend,clv');
    expect(lines[1]).toMatch(/^0001,2,30\.428571,38\.857143,/);
    const fromFile = json([
      'clv',
      'predict',
      '--horizon',
      '39',
      '--model-file',
      join(dir, 'bgnbd.json'),
      '--limit',
      '0',
    ]);
    expect(fromFile.totals.expectedTransactions).toBeCloseTo(p.totals.expectedTransactions, 6);
  });

  it('summarises per customer with holdout actuals', () => {
    const s = json(['clv', 'summary', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30']);
    // sum of x in the published summary file: 2,457
    expect(s).toMatchObject({ customers: 2357, repeatBuyers: 946, repeatTransactions: 2457 });
    expect(s.holdoutTransactions).toBeGreaterThan(0);
  });

  it('exit 1 with a message for missing fits and bad options', () => {
    const empty = join(dir, 'empty.duckdb');
    const r = retain(['--db', empty, 'clv', 'predict', '--horizon', '10']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no transaction model');
    expect(retain(['--db', db, 'clv', 'fit', '--model', 'nope']).stderr).toContain('--model must be one of');
    expect(
      retain(['--db', db, 'clv', 'fit', '--model', 'bgnbd', '--calibration-end', '30.09.1997']).stderr,
    ).toContain('YYYY-MM-DD');
    const notFit = join(dir, 'not-a-fit.json');
    writeFileSync(notFit, '{"format":"other"}');
    expect(retain(['--db', db, 'clv', 'predict', '--horizon', '5', '--model-file', notFit]).stderr).toContain(
      'not a Retain model fit',
    );
  });
});
