/**
 * Lifecycle stages on ClickHouse against DuckDB on the same demo (2,000 customers): every customer's
 * signals and stages, the counts, the month-end history, the mix and the moves between month ends, for
 * several as-of days, the default rules with and without alert-based decline, and changed rules.
 * Counts and stages exactly; spend and trend within 1e-9 relative (sums of doubles in another order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import {
  DEFAULT_LIFECYCLE_RULES,
  LIFECYCLE_MODELS,
  type LifecycleOptions,
  type LifecycleRules,
} from '../../../src/engine/lifecycle-types.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../../../src/analysis/alerts/rules.js';
import {
  explainCustomer,
  lifecycleAnalysis,
  monthEnds,
} from '../../../src/analysis/lifecycle/lifecycle-analysis.js';
import { lifecycleFlows } from '../../../src/analysis/lifecycle/lifecycle-flows.js';
import { generateDemo } from '../../../src/demo/index.js';
import { tempWorkspace } from '../../helpers.js';
import {
  cdnowTwins,
  clickhouse,
  closeTo,
  demoTwins,
  dropDatabase,
  openClickHouse,
  type Twins,
} from './twins.js';

const REL = 1e-9;
const alerts = customerAlertSpec(DEFAULT_ALERT_RULES);

/** Float columns equal within REL (NaN and infinities exactly). */
function sameFloats(a: Float64Array, b: Float64Array, what: string): void {
  expect(b.length, what).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      if (!closeTo(x, y, REL)) expect(y, `${what}[${i}]`).toBe(x);
    } else expect(y, `${what}[${i}]`).toBe(x);
  }
}

describe.skipIf(!clickhouse)('lifecycle stages on ClickHouse', () => {
  let t: Twins;
  let asOfs: string[];
  beforeAll(async () => {
    t = await demoTwins('retain_test_lifecycle', 2000);
    const last = (await t.duck.lastTransactionDay())!;
    expect(await t.ch.lastTransactionDay()).toBe(last);
    // the last day, a mid-history day and an early one (many prospects and new customers)
    const first = (await t.duck.query(`SELECT strftime(min("date"), '%Y-%m-%d') AS d FROM transactions`))[0]!;
    const day = (d: string, plus: number) =>
      new Date(Date.parse(`${d}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
    asOfs = [last, day(last, -200), day(String(first.d), 120)];
  }, 180_000);
  afterAll(async () => t?.close());

  const changedRules: LifecycleRules = {
    ...DEFAULT_LIFECYCLE_RULES,
    activeDays: 20,
    lostDays: 45,
    newDays: 60,
    reactivatedDays: 120,
    trendDays: 60,
    growth: 0.1,
    explorationPurchases: 5,
    patternFormationDays: 200,
    patternStableDays: 500,
    declineAlertSeverity: 1,
    declineOnRecencyAlert: 1,
  };
  const optionSets = (asOf: string): [string, LifecycleOptions][] => [
    ['default rules, alerts', { asOf, rules: DEFAULT_LIFECYCLE_RULES, alerts }],
    ['default rules, no alerts', { asOf, rules: DEFAULT_LIFECYCLE_RULES, alerts: null }],
    ['changed rules, recency alerts', { asOf, rules: changedRules, alerts }],
    ['alert rule off', { asOf, rules: { ...changedRules, declineAlertSeverity: 0 }, alerts }],
  ];

  it('places every customer in the same stages with the same signals and rules', async () => {
    const seen = new Set<string>();
    for (const asOf of asOfs)
      for (const [name, options] of optionSets(asOf)) {
        const what = `${asOf} ${name}`;
        const a = await t.duck.lifecycleStages(options);
        const b = await t.ch.lifecycleStages(options);
        expect(b.customerIds, what).toEqual(a.customerIds);
        expect(a.customerIds.length).toBe(2000);
        for (const k of [
          'state',
          'stateRule',
          'fourStage',
          'fiveStage',
          'stageRule',
          'pattern',
          'alertLevel',
        ] as const)
          expect(b[k], `${what} ${k}`).toEqual(a[k]);
        for (const k of ['recency', 'tenure', 'purchases', 'spendRecent', 'spendPrevious', 'trend'] as const)
          sameFloats(a[k], b[k], `${what} ${k}`);
        for (const s of [...a.state, ...a.fiveStage, ...a.pattern, ...a.alertLevel]) seen.add(s);
        for (const r of a.stageRule) if (r.startsWith('early-warning')) seen.add('alert rule');
      }
    // the comparison covered every state, stage, pattern and the alert-based decline
    for (const s of ['prospect', 'new', 'active', 'dormant', 'lost', 'reactivated'])
      expect(seen.has(s), s).toBe(true);
    for (const s of ['acquisition', 'build-up', 'maturity', 'decline', 'exit', 'I', 'II', 'alert rule'])
      expect(seen.has(s), s).toBe(true);
  }, 120_000);

  it('counts the same customers per state, stage and pattern', async () => {
    for (const asOf of asOfs)
      for (const [name, options] of optionSets(asOf)) {
        const a = await t.duck.lifecycleCounts(options);
        expect(a.length).toBeGreaterThan(3);
        expect(await t.ch.lifecycleCounts(options), `${asOf} ${name}`).toEqual(a);
      }
  }, 120_000);

  it('agrees before the first purchase, when every customer is a prospect or not yet signed up', async () => {
    const first = (await t.duck.query(`SELECT strftime(min("date"), '%Y-%m-%d') AS d FROM transactions`))[0]!;
    const asOf = new Date(Date.parse(`${String(first.d)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const options = { asOf, rules: DEFAULT_LIFECYCLE_RULES, alerts };
    const a = await t.duck.lifecycleCounts(options);
    expect(a.map((c) => c.state)).toEqual(['prospect']);
    expect(await t.ch.lifecycleCounts(options)).toEqual(a);
    const sa = await t.duck.lifecycleStages(options);
    const sb = await t.ch.lifecycleStages(options);
    expect(sb.stateRule).toEqual(sa.stateRule);
    sameFloats(sa.tenure, sb.tenure, 'tenure');
    sameFloats(sa.recency, sb.recency, 'recency');
    expect(sa.recency.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('refuses the same bad rules', async () => {
    const options = { asOf: asOfs[0]!, rules: { ...DEFAULT_LIFECYCLE_RULES, lostDays: -1 }, alerts };
    await expect(t.duck.lifecycleCounts(options)).rejects.toThrow(/lostDays must be a number >= 0/);
    await expect(t.ch.lifecycleCounts(options)).rejects.toThrow(/lostDays must be a number >= 0/);
  });

  it('records the same month-end history, mix, moves and value tiers', async () => {
    const both = async <T>(f: (e: Engine) => Promise<T>): Promise<[T, T]> => [await f(t.duck), await f(t.ch)];
    // nothing recorded yet: no mix, and no moves to ask for
    const [emptyA, emptyB] = await both((e) => e.lifecycleMix('states'));
    expect(emptyA).toEqual([]);
    expect(emptyB).toEqual([]);
    await expect(t.ch.lifecycleTransitions('states', '2020-01-31', '2020-02-29')).rejects.toThrow(
      /no recorded month-end stages/,
    );
    const last = asOfs[0]!.slice(0, 7);
    const from = `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`;
    const months = monthEnds(from, last).slice(0, -1);
    const options = { rules: DEFAULT_LIFECYCLE_RULES, alerts };
    const done: number[] = [];
    const [na, nb] = await both((e) => e.recordLifecycleHistory(months, options));
    expect(await t.ch.recordLifecycleHistory(months.slice(-3), options, (k) => done.push(k))).toBe(nb);
    expect(done).toEqual([1, 2, 3]);
    expect(nb).toBe(na);
    expect(na).toBeGreaterThan(1000 * months.length);
    for (const model of LIFECYCLE_MODELS) {
      const [mixA, mixB] = await both((e) => e.lifecycleMix(model));
      expect(mixB, model).toEqual(mixA);
      expect(new Set(mixA.map((m) => m.monthEnd)).size).toBe(months.length);
      for (const k of [1, months.length - 1]) {
        const [ta, tb] = await both((e) => e.lifecycleTransitions(model, months[k - 1]!, months[k]!));
        expect(tb, `${model} ${months[k]}`).toEqual(ta);
        expect(ta.filter((x) => x.from !== x.to).length).toBeGreaterThan(2);
      }
      const [fa, fb] = await both((e) => lifecycleFlows(e, model));
      expect(fb).toEqual(fa);
    }
    const tiers = async (e: Engine, sql: string) =>
      (await e.query(sql)).map((r) => [String(r.m), Number(r.high), Number(r.medium)] as const);
    const a = await tiers(
      t.duck,
      `SELECT strftime(month_end, '%Y-%m-%d') AS m, high, medium FROM lifecycle_tiers ORDER BY m`,
    );
    const b = await tiers(
      t.ch,
      `SELECT toString(month_end) AS m, high, medium FROM lifecycle_tiers FINAL WHERE deleted = 0 ORDER BY m`,
    );
    expect(b.map((x) => x[0])).toEqual(a.map((x) => x[0]));
    expect(a.length).toBe(months.length);
    for (const [i, x] of a.entries()) {
      expect(x[1]).toBeGreaterThan(x[2]);
      expect(closeTo(b[i]![1], x[1], REL) && closeTo(b[i]![2], x[2], REL), x[0]).toBe(true);
    }
  }, 180_000);

  it('gives the same per-customer lifecycle analysis on both engines', async () => {
    for (const model of LIFECYCLE_MODELS) {
      const a = await lifecycleAnalysis(t.duck, { model, asOf: asOfs[1] });
      const b = await lifecycleAnalysis(t.ch, { model, asOf: asOfs[1] });
      const { perCustomer: pa, tierThresholds: ta, ...restA } = a;
      const { perCustomer: pb, tierThresholds: tb, ...restB } = b;
      expect(restB).toEqual(restA);
      expect(closeTo(tb!.high, ta!.high, REL) && closeTo(tb!.medium, ta!.medium, REL)).toBe(true);
      for (const k of ['customerIds', 'stage', 'rule', 'valueTier', 'action'] as const)
        expect(pb![k], `${model} ${k}`).toEqual(pa![k]);
      expect(new Set(pa!.valueTier).size).toBe(3);
      expect(explainCustomer(b, 7)).toBe(explainCustomer(a, 7));
    }
  }, 120_000);

  it('gives the same lifecycle analysis (counts only) on both engines', async () => {
    for (const model of LIFECYCLE_MODELS)
      for (const asOf of [undefined, asOfs[1]]) {
        const options = { model, perCustomer: false, ...(asOf ? { asOf } : {}) };
        const a = await lifecycleAnalysis(t.duck, options);
        const b = await lifecycleAnalysis(t.ch, options);
        expect(b).toEqual(a);
        expect(a.stages.length).toBeGreaterThan(3);
      }
  }, 120_000);
});

describe.skipIf(!clickhouse)('lifecycle history on one ClickHouse server (no cluster)', () => {
  it('records and replaces month ends in the local tables as on DuckDB', async () => {
    const ws = await tempWorkspace();
    const ch = await openClickHouse('retain_test_lifecycle_single', false);
    try {
      for (const e of [ws.engine, ch]) await generateDemo(e, { customers: 300, seed: 3 });
      const last = (await ws.engine.lastTransactionDay())!.slice(0, 7);
      const months = monthEnds(`${Number(last.slice(0, 4)) - 1}${last.slice(4)}`, last).slice(-4);
      const options = { rules: DEFAULT_LIFECYCLE_RULES, alerts };
      const n = await ws.engine.recordLifecycleHistory(months, options);
      expect(await ch.recordLifecycleHistory(months, options)).toBe(n);
      expect(await ch.recordLifecycleHistory(months.slice(1), options)).toBe(n);
      expect(await ch.lifecycleMix('five-stage')).toEqual(await ws.engine.lifecycleMix('five-stage'));
      expect(await lifecycleFlows(ch, 'states')).toEqual(await lifecycleFlows(ws.engine, 'states'));
    } finally {
      await ch.close();
      await dropDatabase('retain_test_lifecycle_single');
      await ws.cleanup();
    }
  }, 120_000);
});

describe.skipIf(!clickhouse)('lifecycle stages on ClickHouse, CDNOW sample', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_lifecycle_cdnow');
  }, 120_000);
  afterAll(async () => t?.close());

  it('agrees with DuckDB on stub customers without signup, contracts or churn events', async () => {
    for (const asOf of ['1997-06-30', '1998-06-30']) {
      const options = { asOf, rules: DEFAULT_LIFECYCLE_RULES, alerts };
      const a = await t.duck.lifecycleStages(options);
      const b = await t.ch.lifecycleStages(options);
      expect(a.customerIds.length).toBe(2357);
      expect(b.customerIds).toEqual(a.customerIds);
      for (const k of ['state', 'stateRule', 'stageRule', 'pattern', 'alertLevel'] as const)
        expect(b[k], `${asOf} ${k}`).toEqual(a[k]);
      for (const k of ['recency', 'tenure', 'purchases', 'spendRecent', 'spendPrevious', 'trend'] as const)
        sameFloats(a[k], b[k], `${asOf} ${k}`);
      const counts = await t.duck.lifecycleCounts(options);
      expect(counts.length).toBeGreaterThan(3);
      expect(await t.ch.lifecycleCounts(options)).toEqual(counts);
    }
  }, 120_000);
});
