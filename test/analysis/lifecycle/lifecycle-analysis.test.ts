// Hand-built histories whose stage under each model is known in advance (as of 2025-06-30).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import {
  explainCustomer,
  lifecycleAnalysis,
  monthEnds,
} from '../../../src/analysis/lifecycle/lifecycle-analysis.js';
import { mergeLifecycleRules } from '../../../src/analysis/lifecycle/rules.js';
import { UserError } from '../../../src/util/errors.js';
import { tempWorkspace, writeText } from '../../helpers.js';

const monthly = (
  id: string,
  from: [number, number],
  to: [number, number],
  day: number,
  amount: (k: number) => number,
) => {
  const rows: string[] = [];
  let k = 0;
  for (
    let y = from[0], m = from[1];
    y < to[0] || (y === to[0] && m <= to[1]);
    m === 12 ? (y++, (m = 1)) : m++
  ) {
    rows.push(`${id},${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')},${amount(k++)}`);
  }
  return rows;
};

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  const t = [
    'customer_id,date,amount',
    ...monthly('A', [2024, 1], [2025, 6], 20, () => 50), // steady, recency 10: active, stability
    ...monthly('D', [2024, 1], [2025, 5], 20, () => 50), // recency 41: dormant
    'N,2025-05-01,30', // first purchase 60 days ago: new, exploration
    ...monthly('L', [2024, 6], [2025, 3], 1, () => 20), // last 2025-03-01, recency 121: lost; 273 days long: pattern II
    'R,2024-01-15,10',
    'R,2024-02-15,10',
    'R,2024-03-15,10',
    'R,2025-06-01,10', // back after a long gap: reactivated
    ...monthly('C', [2024, 1], [2025, 6], 20, () => 40), // churn event after the last purchase: lost
    ...monthly('G', [2024, 1], [2025, 6], 25, (k) => (k < 15 ? 10 : 40)), // spend up 4x in the last 3 months: formation
    ...monthly('F', [2024, 1], [2025, 6], 25, (k) => (k < 15 ? 100 : 10)), // spend down: decline
    // W: 50 on the 5th and the 20th of every month, then only on 2025-06-20. The 90-day trend is -16.7 %
    // (250 vs 300: stability), but the 30 days to the last purchase hold 1 purchase (50) against a baseline
    // of 2 (100) a month: F and M down 50 %, an orange alert -> decline.
    ...monthly('W', [2024, 1], [2025, 5], 5, () => 50),
    ...monthly('W', [2024, 1], [2025, 6], 20, () => 50),
    'X,2021-01-01,10',
    ...monthly('X', [2021, 2], [2025, 2], 1, () => 10), // 4-year relationship ended: pattern IV
  ];
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', t.join('\n') + '\n'),
  });
  await importFile(ws.engine, {
    table: 'customers',
    file: writeText(ws.dir, 'c.csv', 'customer_id,signup_date\nP,2025-01-01\n'),
  });
  await importFile(ws.engine, {
    table: 'churn_events',
    file: writeText(ws.dir, 'e.csv', 'customer_id,date,reason_code\nC,2025-06-25,101\n'),
  });
});
afterAll(() => ws.cleanup());

const stagesOf = async (model: 'states' | 'four-stage' | 'five-stage') => {
  const a = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', model });
  return Object.fromEntries(a.perCustomer!.customerIds.map((id, i) => [id, a.perCustomer!.stage[i]]));
};

describe('lifecycleAnalysis', () => {
  it('operational states by the default rules', async () => {
    expect(await stagesOf('states')).toEqual({
      A: 'active',
      C: 'lost',
      D: 'dormant',
      F: 'active',
      G: 'active',
      L: 'lost',
      N: 'new',
      P: 'prospect',
      R: 'reactivated',
      W: 'active',
      X: 'lost',
    });
  });

  it('four- and five-stage relationship models', async () => {
    expect(await stagesOf('four-stage')).toEqual({
      A: 'stability',
      C: 'decline',
      D: 'decline', // 2 purchases (100) in the last 90 days vs 3 (150) before: -33 %
      F: 'decline',
      G: 'formation',
      L: 'decline',
      N: 'exploration',
      P: 'prospect',
      R: 'formation', // 4 purchases, long tenure, spend 10 now vs 0 in the 90 days before
      W: 'decline', // orange alert
      X: 'decline',
    });
    expect(await stagesOf('five-stage')).toEqual({
      A: 'maturity',
      C: 'exit',
      D: 'decline',
      F: 'decline',
      G: 'build-up',
      L: 'exit',
      N: 'acquisition',
      P: 'acquisition',
      R: 'build-up',
      W: 'decline',
      X: 'exit',
    });
  });

  it('explains each assignment with its rule and numbers; patterns of ended relationships', async () => {
    const a = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30' });
    const i = (id: string) => a.perCustomer!.customerIds.indexOf(id);
    expect(a.perCustomer!.rule[i('D')]).toBe('30 < recency <= 60 days');
    expect(a.perCustomer!.rule[i('C')]).toBe('churn recorded (churn event or every contract ended)');
    expect(a.perCustomer!.recency[i('D')]).toBe(41);
    expect(explainCustomer(a, i('D'))).toContain('recency 41 days');
    // L: 273 days from first to last purchase -> II; X: 4 years -> IV; C: 537 days -> III
    expect(a.perCustomer!.pattern[i('L')]).toBe('II');
    expect(a.perCustomer!.pattern[i('X')]).toBe('IV');
    expect(a.perCustomer!.pattern[i('C')]).toBe('III');
    expect(a.patterns).toEqual([
      { pattern: 'I', customers: 0, share: 0 },
      { pattern: 'II', customers: 1, share: 1 / 3 },
      { pattern: 'III', customers: 1, share: 1 / 3 },
      { pattern: 'IV', customers: 1, share: 1 / 3 },
    ]);
    expect(a.perCustomer!.action[i('P')]).toContain('acquisition');
  });

  it('decline at an orange / red early-warning level (F or M decline against the own baseline)', async () => {
    const stageOfW = async (options: Parameters<typeof lifecycleAnalysis>[1]) => {
      const a = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', model: 'four-stage', ...options });
      const i = a.perCustomer!.customerIds.indexOf('W');
      return {
        stage: a.perCustomer!.stage[i],
        rule: a.perCustomer!.rule[i],
        level: a.perCustomer!.alertLevel[i],
      };
    };
    const w = await stageOfW({});
    expect(w).toEqual({
      stage: 'decline',
      rule: 'early-warning level orange (F down 50.0 %, M down 50.0 % against the own baseline, R 10 days)',
      level: 'orange',
    });
    // only red and above counts: back to the trend rule (-16.7 %)
    const red = await stageOfW({ rules: mergeLifecycleRules({ declineAlertSeverity: 3 }, 'test') });
    expect(red.stage).toBe('stability');
    expect(red.rule).toBe('spend trend within +/-20 %');
    expect((await stageOfW({ rules: mergeLifecycleRules({ declineAlertSeverity: 0 }, 'test') })).stage).toBe(
      'stability',
    );
    expect((await stageOfW({ alertRules: null })).stage).toBe('stability');
    // R alone: A (steady, R 10 = yellow) is not in decline unless R-fired levels count and yellow is enough
    const a = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', model: 'four-stage' });
    expect(a.perCustomer!.stage[a.perCustomer!.customerIds.indexOf('A')]).toBe('stability');
    const byR = await lifecycleAnalysis(ws.engine, {
      asOf: '2025-06-30',
      model: 'four-stage',
      rules: mergeLifecycleRules({ declineAlertSeverity: 1, declineOnRecencyAlert: 1 }, 'test'),
    });
    const iA = byR.perCustomer!.customerIds.indexOf('A');
    expect(byR.perCustomer!.stage[iA]).toBe('decline');
    expect(byR.perCustomer!.alertLevel[iA]).toBe('yellow');
    expect(() => mergeLifecycleRules({ declineOnRecencyAlert: 2 }, 'r.json')).toThrow(/0 or 1/);
  });

  it('as-of dates before a customer started, and edited rules', async () => {
    const early = await lifecycleAnalysis(ws.engine, { asOf: '2024-01-31' });
    const s = Object.fromEntries(
      early.perCustomer!.customerIds.map((id, k) => [id, early.perCustomer!.stage[k]]),
    );
    expect(s.N).toBe('prospect'); // no purchase yet on that date
    expect(s.A).toBe('new');
    const strict = mergeLifecycleRules({ activeDays: 5, lostDays: 9 }, 'test');
    const a = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', rules: strict });
    expect(a.perCustomer!.stage[a.perCustomer!.customerIds.indexOf('A')]).toBe('lost'); // recency 10 > 9
    expect(() => mergeLifecycleRules({ activeDay: 5 }, 'r.json')).toThrow(
      /unknown lifecycle setting "activeDay"/,
    );
    expect(() => mergeLifecycleRules({ activeDays: 90 }, 'r.json')).toThrow(UserError);
  });

  it('the counts-only path (SQL) agrees with the per-customer path', async () => {
    for (const model of ['states', 'four-stage', 'five-stage'] as const) {
      const full = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', model });
      const counts = await lifecycleAnalysis(ws.engine, { asOf: '2025-06-30', model, perCustomer: false });
      expect(counts.perCustomer).toBeNull();
      expect(counts.stages).toEqual(full.stages);
      expect(counts.patterns).toEqual(full.patterns);
    }
  });

  it('month-end history: mix over time and transitions', async () => {
    expect(monthEnds('2024-11', '2025-02')).toEqual(['2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28']);
    await ws.engine.recordLifecycleHistory(monthEnds('2025-03', '2025-06'), {
      rules: mergeLifecycleRules({}, 'defaults'),
    });
    const mix = await ws.engine.lifecycleMix('states');
    const june = mix.filter((m) => m.monthEnd === '2025-06-30');
    expect(june.find((m) => m.stage === 'lost')?.customers).toBe(3);
    const t = await ws.engine.lifecycleTransitions('states', '2025-03-31', '2025-06-30');
    // N did not exist on 2025-03-31; C was active and churned; R was lost and came back
    expect(t).toContainEqual({ from: '(not yet a customer)', to: 'new', customers: 1 });
    expect(t).toContainEqual({ from: 'lost', to: 'reactivated', customers: 1 });
    await expect(ws.engine.lifecycleTransitions('states', '2020-01-31', '2025-06-30')).rejects.toThrow(
      /lifecycle history/,
    );
  });
});
