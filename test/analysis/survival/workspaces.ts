// Hand-built workspaces whose survival data are worked out by hand (shared by the engine and analysis tests).
import { importFile } from '../../../src/data/import.js';
import { tempWorkspace, writeText } from '../../helpers.js';

export type Ws = Awaited<ReturnType<typeof tempWorkspace>>;

/*
 * Subscriptions, as of 2024-12-31 (2024 is a leap year):
 *   A north basic  2024-01-01 .. 2024-03-01                  ended: event at 60 days
 *   B north        2024-01-01 .. 2024-02-01 basic, 2024-02-01 .. 2024-07-01 pro (plan change): event at 182
 *   C north basic  2024-01-01 .. open                         censored at 365
 *   D south pro    2024-03-01 .. open, churn event 2024-06-01 event at 92
 *   E south basic  2024-02-01 .. 2025-02-01 (after the as-of day: still active) censored at 334
 *   F south        2024-01-01 .. 2024-03-01 basic, churn event 2024-03-01, win-back 2024-05-01 .. open pro:
 *                  the churn event precedes the last start, so censored at 365
 *   G (stub, no region) basic 2024-06-01 .. 2024-09-01       event at 92
 *   H              2025-01-15 .. open                         starts after the as-of day: left out
 */
export const SUBSCRIPTIONS = [
  'subscription_id,customer_id,start_date,end_date,plan,monthly_fee',
  'a1,A,2024-01-01,2024-03-01,basic,10',
  'b1,B,2024-01-01,2024-02-01,basic,10',
  'b2,B,2024-02-01,2024-07-01,pro,30',
  'c1,C,2024-01-01,,basic,10',
  'd1,D,2024-03-01,,pro,30',
  'e1,E,2024-02-01,2025-02-01,basic,12',
  'f1,F,2024-01-01,2024-03-01,basic,10',
  'f2,F,2024-05-01,,pro,25',
  'g1,G,2024-06-01,2024-09-01,basic,10',
  'h1,H,2025-01-15,,pro,30',
];
export const CUSTOMERS = [
  'customer_id,region,plan,age',
  'A,north,basic,30',
  'B,north,basic,40',
  'C,north,basic,50',
  'D,south,pro,',
  'E,south,basic,35',
  'F,south,basic,45',
];
export const CHURN_EVENTS = ['customer_id,date,reason_code', 'D,2024-06-01,101', 'F,2024-03-01,101'];

export async function subscriptionWorkspace(): Promise<Ws> {
  const ws = await tempWorkspace();
  const load = async (table: 'customers' | 'subscriptions' | 'churn_events', lines: string[]) =>
    importFile(ws.engine, { table, file: writeText(ws.dir, `${table}.csv`, lines.join('\n') + '\n') });
  await load('customers', CUSTOMERS);
  await load('subscriptions', SUBSCRIPTIONS);
  await load('churn_events', CHURN_EVENTS);
  return ws;
}

/*
 * Transactions only, as of 2024-12-31:
 *   P 2024-01-01, 02-01, 03-01: last purchase 305 days old -> lost, time 60
 *   Q 2024-01-10, 12-01: 30 days old -> censored at its last purchase, time 326
 *   R 2024-06-01, churn event 2024-06-15 -> lost, time 0
 *   S 2024-11-20, 12-20 -> censored, time 30
 */
export async function transactionWorkspace(): Promise<Ws> {
  const ws = await tempWorkspace();
  const tx = [
    'customer_id,date,amount',
    'P,2024-01-01,10',
    'P,2024-02-01,10',
    'P,2024-03-01,10',
    'Q,2024-01-10,10',
    'Q,2024-12-01,10',
    'R,2024-06-01,10',
    'S,2024-11-20,10',
    'S,2024-12-20,10',
  ];
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', tx.join('\n') + '\n'),
  });
  await importFile(ws.engine, {
    table: 'churn_events',
    file: writeText(ws.dir, 'c.csv', 'customer_id,date\nR,2024-06-15\n'),
  });
  return ws;
}
