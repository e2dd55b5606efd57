import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { planWinback } from '../../../src/analysis/planning/winback-plan.js';
import { tempWorkspace, writeText } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

/**
 * L1 (price, 101) worth 600 a year, L2 (customer service, 103) worth 60, L3 fraud (345, involuntary),
 * L4 returned (a new subscription after leaving). Values: purchases over the full year before leaving.
 */
async function leavers(): Promise<void> {
  const { engine, dir } = ws;
  await importFile(engine, {
    table: 'customers',
    file: writeText(
      dir,
      'c.csv',
      'customer_id,signup_date,email\nL1,2023-01-01,l1@example.com\nL2,2023-01-01,\nL3,2023-01-01,\nL4,2023-01-01,\n',
    ),
  });
  await importFile(engine, {
    table: 'transactions',
    file: writeText(
      dir,
      't.csv',
      'customer_id,date,amount\nL1,2024-06-02,300\nL1,2025-05-22,300\nL2,2024-06-02,30\nL2,2025-05-22,30\nL3,2024-06-02,900\nL4,2024-06-02,900\n',
    ),
  });
  await importFile(engine, {
    table: 'subscriptions',
    file: writeText(
      dir,
      's.csv',
      'customer_id,start_date,end_date\nL4,2023-01-01,2025-06-01\nL4,2025-09-01,\n',
    ),
  });
  await importFile(engine, {
    table: 'churn_events',
    file: writeText(
      dir,
      'e.csv',
      'customer_id,date,reason_code\nL1,2025-06-01,101\nL2,2025-06-01,103\nL3,2025-06-01,345\nL4,2025-06-01,101\n',
    ),
  });
}

describe('win-back plan', () => {
  it('ranks leavers with the prior rate of 1 in 4 and lets go who would not pay', async () => {
    await leavers();
    const plan = await planWinback(ws.engine, { budget: 100, asOf: '2025-12-31' });
    expect(plan.leavers).toBe(4);
    expect(plan.returned).toBe(1);
    expect(plan.overallRate.mean).toBeCloseTo(0.25, 12);
    expect(plan.overallRate.source).toBe('prior');
    // L1: 0.25 x 600 = 150 for 20; L2: 0.25 x 60 = 15 < 20
    expect(plan.contacts.map((c) => [c.customerId, c.expectedValue, c.net, c.email])).toEqual([
      ['L1', 150, 130, 'l1@example.com'],
    ]);
    expect(plan.letGo.list.map((c) => c.customerId)).toEqual(['L2']);
    const l3 = plan.all.find((c) => c.customerId === 'L3')!;
    expect(l3.decision).toBe('excluded');
    expect(l3.reasonText).toMatch(/involuntary/);
    expect(plan.all.find((c) => c.customerId === 'L4')!.reasonText).toBe('returned on 2025-09-01');
    expect(plan.spent).toBe(20);
  });

  it('learns the rate from recorded attempts, per reason once there are enough', async () => {
    await leavers();
    const { engine, dir } = ws;
    // ten earlier price leavers got a win-back call: 6 came back (accepted), 4 declined
    const ids = Array.from({ length: 10 }, (_, i) => `W${i}`);
    await importFile(engine, {
      table: 'churn_events',
      file: writeText(
        dir,
        'e2.csv',
        'customer_id,date,reason_code\n' + ids.map((id) => `${id},2025-01-10,101`).join('\n') + '\n',
      ),
    });
    await importFile(engine, {
      table: 'campaigns',
      file: writeText(dir, 'k.csv', 'campaign_id,kind,start_date\nWB1,winback,2025-02-01\n'),
    });
    await importFile(engine, {
      table: 'contacts',
      file: writeText(
        dir,
        'ct.csv',
        'customer_id,campaign_id,date,outcome\n' +
          ids.map((id, i) => `${id},WB1,2025-02-01,${i < 6 ? 'accepted' : 'declined'}`).join('\n') +
          '\n',
      ),
    });
    const plan = await planWinback(engine, { budget: 100, asOf: '2025-12-31', minPerReason: 5 });
    // overall Beta(2 + 6, 6 + 4): 8 / 18; reason 101: prior centred on 8/18 (strength 8) + 6 of 10
    expect(plan.overallRate.mean).toBeCloseTo(8 / 18, 12);
    expect(plan.overallRate.source).toBe('learned (all reasons)');
    const r101 = plan.rates.find((r) => r.reasonCode === '101')!;
    expect(r101.mean).toBeCloseTo(((8 / 18) * 8 + 6) / 18, 12);
    const l1 = plan.all.find((c) => c.customerId === 'L1')!;
    expect(l1.successRate).toBeCloseTo(r101.mean, 12);
    // L2 (reason 103, no attempts of its own) now gets the overall 8/18: 26.7 for 20 pays
    const l2 = plan.all.find((c) => c.customerId === 'L2')!;
    expect(l2.successRate).toBeCloseTo(8 / 18, 12);
    expect(l2.decision).toBe('contact');
    expect(plan.all.find((c) => c.customerId === 'W0')!.attempts).toBe(1);
  });
});
