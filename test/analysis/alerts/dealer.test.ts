// The car dealer's variant on hand-built service visits, as of 2025-06-30: grades count visit days in
// (2024-06-30, 2025-06-30]; the survey list has customers whose last visit (or, never visiting, the day
// they became a customer) is on or before 2024-12-30.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { dealerGrades } from '../../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { tempWorkspace, writeText } from '../../helpers.js';

const VISITS = [
  ['DA', '2024-08-01'], // three visits: A; last 2025-03-01, not on the list
  ['DA', '2024-12-01'],
  ['DA', '2025-03-01'],
  ['DB', '2024-06-30'], // exactly 12 months before: outside the window
  ['DB', '2024-07-01'], // two in the window: B; last 2024-09-01: survey
  ['DB', '2024-09-01'],
  ['DB2', '2025-05-01'], // two rows on one day count as one visit ...
  ['DB2', '2025-05-01T15:00:00'],
  ['DB2', '2025-06-30T18:00:00'], // ... and the evening of the as-of day counts: B
  ['DC', '2024-12-30'], // C; exactly 6 months without a visit: survey
  ['DC2', '2024-12-31'], // C; one day less: not on the list
  ['DD', '2023-01-01'], // D; survey
];

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  const rows = [
    'customer_id,date,amount,kind',
    ...VISITS.map(([id, d]) => `${id},${d},80,visit`),
    'DP,2024-05-01,25000,purchase', // bought a car, never came for service: D, survey (since 2024-05-01)
    'DA,2025-06-01,30000,purchase', // purchases are not visits
    'DF,2025-07-10,150,visit', // first visit after the as-of date
  ];
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', rows.join('\n') + '\n'),
    allowFuture: true,
  });
  await importFile(ws.engine, {
    table: 'customers',
    file: writeText(
      ws.dir,
      'c.csv',
      // DN signed up 2024-01-01 and never visited: survey; DN2 signed up 2025-03-01: not yet; DX after the
      // as-of date: not graded
      'customer_id,signup_date\nDN,2024-01-01\nDN2,2025-03-01\nDX,2025-08-01\n',
    ),
    allowFuture: true,
  });
});
afterAll(() => ws.cleanup());

describe('dealer grades and the churn-survey list', () => {
  it('grades by visit days in the last 12 months and lists 6-month absences', async () => {
    const r = await dealerGrades(ws.engine, { asOf: '2025-06-30', perCustomer: true, list: 10 });
    expect(r.asOf).toBe('2025-06-30');
    const c = r.perCustomer!;
    const got = Object.fromEntries(
      c.customerIds.map((id, i) => [id, [c.grade[i], c.visits[i], c.lastVisit[i], c.survey[i] === 1]]),
    );
    expect(got).toEqual({
      DA: ['A', 3, '2025-03-01', false],
      DB: ['B', 2, '2024-09-01', true],
      DB2: ['B', 2, '2025-06-30', false],
      DC: ['C', 1, '2024-12-30', true],
      DC2: ['C', 1, '2024-12-31', false],
      DD: ['D', 0, '2023-01-01', true],
      DN: ['D', 0, '', true],
      DN2: ['D', 0, '', false],
      DP: ['D', 0, '', true],
    });
    expect(r.customers).toBe(9); // DF (after the as-of date) and DX (signed up later) are not graded
    expect(r.grades).toEqual([
      { grade: 'A', minVisits: 3, customers: 1 },
      { grade: 'B', minVisits: 2, customers: 2 },
      { grade: 'C', minVisits: 1, customers: 2 },
      { grade: 'D', minVisits: 0, customers: 4 },
    ]);
    expect(r.survey).toBe(5);
    expect(r.surveyNeverVisited).toBe(2);
    // longest absence first: DD (2023-01-01), DN (since 2024-01-01), DP (since 2024-05-01), DB, DC
    expect(r.list.map((x) => [x.customerId, x.daysAbsent, x.customerSince])).toEqual([
      ['DD', 911, '2023-01-01'],
      ['DN', 546, '2024-01-01'],
      ['DP', 425, '2024-05-01'],
      ['DB', 302, '2024-06-30'],
      ['DC', 182, '2024-12-30'],
    ]);
  });

  it('other thresholds and visit kinds come from the rules', async () => {
    const rules: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      dealer: {
        visitKinds: ['visit', 'purchase'],
        gradeWindowMonths: 24,
        grades: [
          { grade: 'gold', minVisits: 2 },
          { grade: 'other', minVisits: 0 },
        ],
        surveyAfterMonths: 12,
      },
    };
    const r = await dealerGrades(ws.engine, { asOf: '2025-06-30', rules, perCustomer: true });
    const c = r.perCustomer!;
    const grade = Object.fromEntries(c.customerIds.map((id, i) => [id, c.grade[i]]));
    expect(grade).toMatchObject({ DA: 'gold', DB: 'gold', DC: 'other', DP: 'other', DD: 'other' });
    expect(r.survey).toBe(3); // DD, DN (since 2024-01-01) and DP (purchase 2024-05-01 counts as a visit now)
  });

  it('needs visits', async () => {
    const rules: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      dealer: { ...DEFAULT_ALERT_RULES.dealer, visitKinds: ['bill'] },
    };
    await expect(dealerGrades(ws.engine, { rules })).rejects.toThrow(/no transactions of kind bill/);
  });
});
