/** Hand-built workspaces for the report tests (every number worked out in the tests). */
import { importFile } from '../../../src/data/import.js';
import type { Engine } from '../../../src/engine/engine.js';
import { writeText } from '../../helpers.js';

async function load(engine: Engine, dir: string, table: string, name: string, csv: string) {
  await importFile(engine, { table: table as 'customers', file: writeText(dir, name, csv) });
}

/** DOMAIN 5.5 (Jan-May), divided by 100: start 13,000; new 100 / 200 / 80 / 30 / 45; churn by type. */
export const DOMAIN_TABLE = [
  {
    month: 'Jan',
    start: 1_300_000,
    new: 10_000,
    beforeChurn: 1_310_000,
    voluntary: 5_000,
    involuntary: 2_000,
    end: 1_303_000,
  },
  {
    month: 'Feb',
    start: 1_303_000,
    new: 20_000,
    beforeChurn: 1_323_000,
    voluntary: 7_500,
    involuntary: 4_000,
    end: 1_311_500,
  },
  {
    month: 'Mar',
    start: 1_311_500,
    new: 8_000,
    beforeChurn: 1_319_500,
    voluntary: 10_100,
    involuntary: 5_500,
    end: 1_303_900,
  },
  {
    month: 'Apr',
    start: 1_303_900,
    new: 3_000,
    beforeChurn: 1_306_900,
    voluntary: 2_200,
    involuntary: 1_000,
    end: 1_303_700,
  },
  {
    month: 'May',
    start: 1_303_700,
    new: 4_500,
    beforeChurn: 1_308_200,
    voluntary: 4_000,
    involuntary: 3_000,
    end: 1_301_200,
  },
] as const;

export const SCALE = 100;

/**
 * Raw records that yield the DOMAIN table / 100 for 2025-01..2025-05: 13,000 subscribers since 2024-06-01,
 * new ones starting on the 10th, churners (oldest first) ending on the 15th with a churn event of code 101
 * (voluntary; type left empty, so it comes from the code) or 335 (involuntary).
 */
export async function loadDomainWorkspace(engine: Engine, dir: string): Promise<void> {
  const subs = ['subscription_id,customer_id,start_date,end_date,plan,monthly_fee'];
  const events = ['customer_id,date,reason_code,type,note'];
  const ends = new Map<string, string>();
  const ids: string[] = [];
  let next = 0;
  const newId = () => `C${String(++next).padStart(6, '0')}`;
  const starts = new Map<string, string>();
  for (let i = 0; i < DOMAIN_TABLE[0].start / SCALE; i++) {
    const id = newId();
    ids.push(id);
    starts.set(id, '2024-06-01');
  }
  let churned = 0;
  DOMAIN_TABLE.forEach((row, k) => {
    const mm = String(k + 1).padStart(2, '0');
    for (let i = 0; i < row.new / SCALE; i++) {
      const id = newId();
      ids.push(id);
      starts.set(id, `2025-${mm}-10`);
    }
    const leave = (n: number, code: string) => {
      for (let i = 0; i < n / SCALE; i++) {
        const id = ids[churned++]!;
        ends.set(id, `2025-${mm}-15`);
        events.push(`${id},2025-${mm}-15,${code},,`);
      }
    };
    leave(row.voluntary, '101');
    leave(row.involuntary, '335');
  });
  for (const id of ids) subs.push(`${id}-1,${id},${starts.get(id)},${ends.get(id) ?? ''},Basic,20`);
  await load(engine, dir, 'subscriptions', 'subs.csv', subs.join('\n') + '\n');
  await load(engine, dir, 'churn_events', 'events.csv', events.join('\n') + '\n');
}

/**
 * Six customers, January and February 2025 (see test/analysis/reports/reports.test.ts for the worked numbers):
 *   A North  sub 2024-10-01..2025-01-20 fee 30, bills Oct 30, Nov 30, Dec 36, Jan 30; event 2025-01-20 101
 *   B South  sub 2024-12-01..2025-01-31 fee 50, bills Dec 50, Jan 50; event 2025-01-31 335
 *   C North  sub 2025-01-10..2025-02-10 fee 20, no bills; event 2025-02-10 205
 *   D South  Basic 2024-01-01..2025-01-31 fee 15, Premium 2025-02-01.. fee 50; bills 15 Oct-Jan, 50 Feb
 *   E North  sub 2024-06-01..2025-02-28 fee 10, bills Dec 10, Jan 10, Feb 10; no churn event
 *   F North  no subscription; event 2025-02-05 102 (voluntary)
 */
export async function loadSmallWorkspace(engine: Engine, dir: string): Promise<void> {
  await load(
    engine,
    dir,
    'customers',
    'customers.csv',
    'customer_id,signup_date,region,channel,segment\nA,2024-10-01,North,store,consumer\nB,2024-12-01,South,online,consumer\n' +
      'C,2025-01-10,North,online,business\nD,2024-01-01,South,store,business\nE,2024-06-01,North,store,consumer\n' +
      'F,2024-11-01,North,partner,consumer\n',
  );
  await load(
    engine,
    dir,
    'subscriptions',
    'subs.csv',
    'subscription_id,customer_id,start_date,end_date,plan,monthly_fee\n' +
      'A-1,A,2024-10-01,2025-01-20,Standard,30\nB-1,B,2024-12-01,2025-01-31,Premium,50\n' +
      'C-1,C,2025-01-10,2025-02-10,Basic,20\nD-1,D,2024-01-01,2025-01-31,Basic,15\nD-2,D,2025-02-01,,Premium,50\n' +
      'E-1,E,2024-06-01,2025-02-28,Basic,10\n',
  );
  await load(
    engine,
    dir,
    'transactions',
    'bills.csv',
    'customer_id,date,amount,kind\n' +
      'A,2024-10-05,30,bill\nA,2024-11-05,30,bill\nA,2024-12-05,36,bill\nA,2025-01-05,30,bill\n' +
      'B,2024-12-01,50,bill\nB,2025-01-01,50,bill\n' +
      'D,2024-10-01,15,bill\nD,2024-11-01,15,bill\nD,2024-12-01,15,bill\nD,2025-01-01,15,bill\nD,2025-02-01,50,bill\n' +
      'E,2024-12-01,10,bill\nE,2025-01-01,10,bill\nE,2025-02-01,10,bill\n' +
      'A,2024-12-20,500,purchase\n',
  );
  await load(
    engine,
    dir,
    'churn_events',
    'events.csv',
    'customer_id,date,reason_code,type,note\nA,2025-01-20,101,voluntary,\nB,2025-01-31,335,,\nC,2025-02-10,205,,\nF,2025-02-05,102,,\n',
  );
}
