// The demo generator against real DuckDB workspaces: shape, consistency, determinism, planted effects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { generateDemo, type DemoSummary } from '../../src/demo/index.js';
import type { ProgressEvent } from '../../src/util/progress.js';
import { UserError } from '../../src/util/errors.js';
import { tempWorkspace } from '../helpers.js';

const CUSTOMERS = 20_000;
const END = '2025-12-31';

let engine: Engine;
let cleanup: () => Promise<void>;
let summary: DemoSummary;
const events: ProgressEvent[] = [];

async function one(sql: string): Promise<Record<string, number>> {
  const [row] = await engine.query(sql);
  return row as Record<string, number>;
}

/** Customers active on the snapshot day and whether they churn within `days` after it. */
const SNAPSHOT = `snap AS (SELECT DATE '2025-06-30' AS s),
  active AS (SELECT DISTINCT customer_id FROM subscriptions, snap
             WHERE start_date <= s AND (end_date IS NULL OR end_date > s))`;
const churnWithin = (days: number): string =>
  `churned AS (SELECT customer_id, min(reason_code) AS reason FROM churn_events, snap
               WHERE "date" > s AND "date" <= s + ${days} GROUP BY 1)`;

beforeAll(async () => {
  ({ engine, cleanup } = await tempWorkspace());
  summary = await generateDemo(engine, { customers: CUSTOMERS, seed: 42, endDate: END }, (e) =>
    events.push(e),
  );
});
afterAll(async () => cleanup());

describe('generateDemo', () => {
  it('reports what it loaded, with progress in customers', async () => {
    expect(summary).toMatchObject({ customers: CUSTOMERS, seed: 42, startDate: '2022-01-01', endDate: END });
    expect(summary.seconds).toBeGreaterThan(0);
    for (const t of Object.keys(summary.rows)) {
      expect(summary.rows[t as keyof DemoSummary['rows']], t).toBe(
        (await one(`SELECT count(*) AS n FROM ${t}`)).n,
      );
    }
    expect(summary.rows.customers).toBe(CUSTOMERS);
    expect(summary.rows.transactions).toBeGreaterThan(CUSTOMERS * 10);
    expect(summary.rows.campaigns).toBe(1);
    expect(events.every((e) => e.phase === 'demo' && e.unit === 'customers' && e.total === CUSTOMERS)).toBe(
      true,
    );
    expect(events.at(-1)!.done).toBe(CUSTOMERS);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
  });

  it('covers four years up to the end date, with ids, keys and no import ids', async () => {
    const span = await one(`SELECT min("date")::DATE::VARCHAR AS a, max("date")::DATE::VARCHAR AS b,
      date_diff('day', min("date"), max("date")) AS days FROM transactions`);
    expect(span.days).toBeGreaterThanOrEqual(3 * 365);
    expect(String(span.a) >= '2022-01-01').toBe(true);
    expect(String(span.b) <= END).toBe(true);
    for (const [t, col] of [
      ['customers', 'signup_date'],
      ['subscriptions', 'coalesce(end_date, start_date)'],
      ['churn_events', '"date"'],
      ['interactions', '"date"'],
      ['contacts', '"date"'],
    ]) {
      const r =
        await one(`SELECT count(*) FILTER (WHERE (${col})::DATE > DATE '${END}' OR (${col})::DATE < DATE '2022-01-01') AS bad,
        count(*) FILTER (WHERE import_id IS NOT NULL) AS imported FROM ${t}`);
      expect(r, t).toEqual({ bad: 0, imported: 0 });
    }
    const ids = await one(`SELECT min(customer_id) AS lo, max(customer_id) AS hi,
      count(*) FILTER (WHERE NOT regexp_full_match(customer_id, 'C[0-9]{7}')) AS bad FROM customers`);
    expect(ids).toEqual({ lo: 'C0000001', hi: 'C0020000', bad: 0 });
    for (const t of ['transactions', 'subscriptions', 'churn_events', 'interactions', 'contacts']) {
      const k = await one(`SELECT count(*) - count(DISTINCT row_key) AS dup FROM ${t}`);
      expect(k.dup, t).toBe(0);
    }
    const orphans = await one(`SELECT count(*) AS n FROM transactions t
      WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = t.customer_id)`);
    expect(orphans.n).toBe(0);
  });

  it('has attributes, bills and purchases, and every kind of interaction', async () => {
    const attrs = await one(`SELECT count(DISTINCT region) AS regions, count(DISTINCT plan) AS plans,
      count(DISTINCT channel) AS channels, count(DISTINCT segment) AS contracts, count(DISTINCT gender) AS genders,
      min(age) AS amin, max(age) AS amax, min(acquisition_cost) AS cac FROM customers`);
    expect(attrs).toMatchObject({ regions: 5, plans: 4, channels: 4, contracts: 3, genders: 2 });
    expect(attrs.amin).toBeGreaterThanOrEqual(18);
    expect(attrs.amax).toBeLessThanOrEqual(85);
    expect(attrs.cac).toBeGreaterThan(0);
    const kinds = await engine.query(`SELECT kind, count(*) AS n FROM transactions GROUP BY 1 ORDER BY 1`);
    expect(kinds.map((k) => k.kind)).toEqual(['bill', 'purchase']);
    const metrics = await engine.query(
      `SELECT DISTINCT kind || ':' || coalesce(metric, '') AS k FROM interactions ORDER BY 1`,
    );
    expect(metrics.map((m) => m.k)).toEqual([
      'complaint:',
      'service_call:',
      'survey:nps',
      'usage:data_gb',
      'usage:dropped_call_rate',
      'usage:minutes',
    ]);
    const nps = await one(
      `SELECT min("value") AS lo, max("value") AS hi FROM interactions WHERE metric = 'nps'`,
    );
    expect(nps).toEqual({ lo: 0, hi: 10 });
    // a bill is at least the (possibly discounted) fee of the subscription it falls in
    const cheap = await one(`SELECT count(*) AS n FROM transactions t JOIN subscriptions s
      ON s.customer_id = t.customer_id AND t."date"::DATE BETWEEN s.start_date AND coalesce(s.end_date, DATE '${END}')
      WHERE t.kind = 'bill' AND t.amount < round(s.monthly_fee * 0.8, 2) - 0.01`);
    expect(cheap.n).toBe(0);
  });

  it('uses all nine reason codes with the type the taxonomy gives them', async () => {
    const codes = await engine.query(
      `SELECT reason_code AS code, count(*) AS n FROM churn_events GROUP BY 1 ORDER BY 1`,
    );
    expect(codes.map((c) => c.code)).toEqual(['101', '102', '103', '205', '207', '210', '335', '345', '380']);
    const mismatched =
      await one(`SELECT count(*) AS n FROM churn_events c LEFT JOIN reason_codes r ON r.code = c.reason_code
      WHERE r.code IS NULL OR r."type" <> c."type"`);
    expect(mismatched.n).toBe(0);
    const vol = await one(`SELECT avg(("type" = 'voluntary')::INT) AS share FROM churn_events`);
    expect(vol.share).toBeGreaterThan(0.7);
    expect(vol.share).toBeLessThan(0.95);
  });

  it('ends a subscription either at a plan change or at a churn event, and bills stop after churn', async () => {
    const unexplained = await one(`SELECT count(*) AS n FROM subscriptions s WHERE s.end_date IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.customer_id = s.customer_id AND x.start_date = s.end_date + 1)
      AND NOT EXISTS (SELECT 1 FROM churn_events c WHERE c.customer_id = s.customer_id AND c."date" = s.end_date)`);
    expect(unexplained.n).toBe(0);
    const unmatched = await one(`SELECT count(*) AS n FROM churn_events c WHERE NOT EXISTS
      (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.customer_id AND s.end_date = c."date")`);
    expect(unmatched.n).toBe(0);
    const open = await one(
      `SELECT count(*) AS n, count(DISTINCT customer_id) AS customers FROM subscriptions WHERE end_date IS NULL`,
    );
    expect(open.n).toBe(open.customers);
    for (const t of ['transactions', 'interactions']) {
      const outside =
        await one(`SELECT count(*) AS n FROM ${t} t WHERE NOT EXISTS (SELECT 1 FROM subscriptions s
        WHERE s.customer_id = t.customer_id AND t."date"::DATE BETWEEN s.start_date AND coalesce(s.end_date, DATE '${END}'))`);
      expect(outside.n, t).toBe(0);
    }
    const afterChurn = await one(`SELECT count(*) AS n FROM churn_events c JOIN transactions t
      ON t.customer_id = c.customer_id AND t.kind = 'bill' AND t."date"::DATE > c."date"
      WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.customer_id
        AND s.start_date > c."date" AND s.start_date <= t."date"::DATE)`);
    expect(afterChurn.n).toBe(0);
    const unbilled = await one(`SELECT count(*) AS n FROM subscriptions s WHERE end_date IS NULL
      AND start_date < DATE '2025-12-01' AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = s.customer_id
        AND t.kind = 'bill' AND t."date" >= DATE '2025-12-01')`);
    expect(unbilled.n).toBe(0);
  });

  it('wins back about a fifth of voluntary leavers 90-365 days later, never involuntary ones', async () => {
    const rows = await engine.query(`SELECT c."type" AS type, count(*) AS leavers,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.customer_id
        AND s.start_date > c."date" AND s.start_date <= c."date" + 365)) AS returned
      FROM churn_events c WHERE c."date" <= DATE '2024-12-31' GROUP BY 1 ORDER BY 1`);
    const [inv, vol] = rows as { type: string; leavers: number; returned: number }[];
    expect(inv!.type).toBe('involuntary');
    expect(inv!.returned).toBe(0);
    expect(vol!.returned / vol!.leavers).toBeGreaterThan(0.15);
    expect(vol!.returned / vol!.leavers).toBeLessThan(0.3);
    const gaps = await one(`SELECT min(gap) AS lo, max(gap) AS hi, count(*) AS n FROM (
      SELECT min(s.start_date) - c."date" AS gap FROM churn_events c JOIN subscriptions s
      ON s.customer_id = c.customer_id AND s.start_date > c."date" GROUP BY c.customer_id, c."date")`);
    expect(gaps.lo).toBeGreaterThanOrEqual(90);
    expect(gaps.hi).toBeLessThanOrEqual(365);
    expect(gaps.n).toBeGreaterThan(500);
  });

  it('plants: recent complaints double the next-90-day churn', async () => {
    const rows = await engine.query(`WITH ${SNAPSHOT}, ${churnWithin(90)},
      complained AS (SELECT DISTINCT customer_id FROM interactions, snap
                     WHERE kind = 'complaint' AND "date" > s - 90 AND "date" < s + 1)
      SELECT c.customer_id IS NOT NULL AS complained, count(*) AS n, avg((x.customer_id IS NOT NULL)::INT) AS rate
      FROM active a LEFT JOIN complained c USING (customer_id) LEFT JOIN churned x USING (customer_id)
      GROUP BY 1 ORDER BY 1`);
    const [no, yes] = rows as { n: number; rate: number }[];
    expect(yes!.n).toBeGreaterThan(300);
    expect(yes!.rate).toBeGreaterThanOrEqual(1.5 * no!.rate);
  });

  it('plants: a high dropped-call rate raises churn and makes reason 205 likelier', async () => {
    const rows = await engine.query(`WITH ${SNAPSHOT}, ${churnWithin(180)},
      dcr AS (SELECT customer_id, avg("value") AS d FROM interactions, snap
              WHERE metric = 'dropped_call_rate' AND "date" > s - 90 AND "date" <= s GROUP BY 1)
      SELECT d >= 3 AS high, count(*) AS n, avg((x.customer_id IS NOT NULL)::INT) AS rate,
        avg((x.reason = '205')::INT) FILTER (WHERE x.customer_id IS NOT NULL) AS network
      FROM active JOIN dcr USING (customer_id) LEFT JOIN churned x USING (customer_id)
      WHERE d >= 3 OR d < 2 GROUP BY 1 ORDER BY 1`);
    const [low, high] = rows as { n: number; rate: number; network: number }[];
    expect(high!.n).toBeGreaterThan(200);
    expect(high!.rate).toBeGreaterThanOrEqual(1.2 * low!.rate);
    expect(high!.network).toBeGreaterThanOrEqual(2.5 * low!.network);
  });

  it('plants: premium plans and long contracts churn less', async () => {
    const plans = await engine.query(`WITH ${SNAPSHOT}, ${churnWithin(180)}
      SELECT s.plan, avg((x.customer_id IS NOT NULL)::INT) AS rate FROM active a
      JOIN subscriptions s ON s.customer_id = a.customer_id AND s.start_date <= DATE '2025-06-30'
        AND (s.end_date IS NULL OR s.end_date > DATE '2025-06-30')
      LEFT JOIN churned x ON x.customer_id = a.customer_id GROUP BY 1`);
    const plan = Object.fromEntries(plans.map((p) => [p.plan, p.rate as number]));
    expect(plan.Premium!).toBeLessThan(0.75 * plan.Basic!);
    expect(plan.Unlimited!).toBeLessThan(0.75 * plan.Basic!);
    expect(plan.Standard!).toBeLessThan(plan.Basic!);
    const contracts = await engine.query(`WITH ${SNAPSHOT}, ${churnWithin(180)}
      SELECT c.segment, avg((x.customer_id IS NOT NULL)::INT) AS rate FROM active a
      JOIN customers c USING (customer_id) LEFT JOIN churned x USING (customer_id) GROUP BY 1`);
    const contract = Object.fromEntries(contracts.map((p) => [p.segment, p.rate as number]));
    expect(contract['month-to-month']!).toBeGreaterThanOrEqual(1.4 * contract['24-month']!);
    expect(contract['12-month']!).toBeLessThan(contract['month-to-month']!);
  });

  it('plants: churn peaks in January and after the summer', async () => {
    // 2023 has no price rise to blur the season
    const rows = await engine.query(`WITH months AS (
        SELECT unnest(generate_series(DATE '2023-01-01', DATE '2023-12-01', INTERVAL 1 MONTH))::DATE AS m),
      base AS (SELECT m, count(DISTINCT customer_id) AS n FROM months JOIN subscriptions
               ON start_date <= m AND (end_date IS NULL OR end_date >= m) GROUP BY 1),
      lost AS (SELECT date_trunc('month', "date")::DATE AS m, count(*) AS c FROM churn_events GROUP BY 1)
      SELECT month(m) AS month, c / n AS rate FROM base JOIN lost USING (m)`);
    const rate = new Map(rows.map((r) => [r.month as number, r.rate as number]));
    const mean = (ms: number[]): number => ms.reduce((a, m) => a + rate.get(m)!, 0) / ms.length;
    expect(mean([1, 2, 9, 10])).toBeGreaterThanOrEqual(1.15 * mean([4, 11, 12]));
  });

  it('plants: price rises are followed by price-driven churn (101)', async () => {
    // the first rise takes effect 2024-04-01
    const r = await one(`SELECT
      count(*) FILTER (WHERE "date" >= DATE '2024-05-01' AND "date" < DATE '2024-08-01') AS after,
      count(*) FILTER (WHERE "date" >= DATE '2024-01-01' AND "date" < DATE '2024-04-01') AS before
      FROM churn_events WHERE reason_code = '101'`);
    expect(r.after).toBeGreaterThanOrEqual(1.5 * r.before!);
    const subs = await one(`SELECT count(*) AS n FROM subscriptions WHERE start_date = DATE '2024-04-01'
      AND plan IN ('Basic', 'Standard') AND monthly_fee IN (17, 33)`);
    expect(subs.n).toBeGreaterThan(1000);
  });

  it('plants: usage and spend decline before a voluntary exit', async () => {
    const rows = await engine.query(`WITH v AS (SELECT customer_id, "date" FROM churn_events
        WHERE "type" = 'voluntary' AND reason_code <> '210' AND "date" >= DATE '2023-01-01'),
      u AS (SELECT date_diff('month', i."date"::DATE, v."date") AS back, i."value" AS minutes FROM v JOIN interactions i
            ON i.customer_id = v.customer_id AND i.metric = 'minutes' AND i."date" <= v."date"),
      b AS (SELECT date_diff('month', t."date"::DATE, v."date") AS back, t.amount FROM v JOIN transactions t
            ON t.customer_id = v.customer_id AND t.kind = 'bill' AND t."date" <= v."date")
      SELECT (SELECT avg(minutes) FROM u WHERE back <= 1) AS u_late, (SELECT avg(minutes) FROM u WHERE back BETWEEN 4 AND 6) AS u_early,
             (SELECT avg(amount) FROM b WHERE back <= 1) AS b_late, (SELECT avg(amount) FROM b WHERE back BETWEEN 4 AND 6) AS b_early`);
    const r = rows[0] as Record<string, number>;
    expect(r.u_late!).toBeLessThan(0.75 * r.u_early!);
    expect(r.b_late!).toBeLessThan(0.93 * r.b_early!);
  });

  it('runs a retention campaign with a control group; the offer lowers churn', async () => {
    const [camp] = await engine.query(
      `SELECT campaign_id, kind, start_date::VARCHAR AS start FROM campaigns`,
    );
    expect(camp).toEqual({ campaign_id: 'RET-2025-07', kind: 'retention', start: '2025-07-01' });
    const rows = await engine.query(`SELECT k."group" AS grp, count(*) AS n,
      avg((EXISTS (SELECT 1 FROM churn_events c WHERE c.customer_id = k.customer_id AND c."date" > k."date"))::INT) AS rate
      FROM contacts k GROUP BY 1 ORDER BY 1`);
    const [control, treatment] = rows as { grp: string; n: number; rate: number }[];
    expect(control!.n).toBeGreaterThan(150);
    expect(treatment!.n).toBeGreaterThan(3 * control!.n);
    expect(treatment!.rate).toBeLessThan(control!.rate);
  });

  it('rejects bad options as user errors', async () => {
    await expect(generateDemo(engine, { customers: 0 })).rejects.toThrow(UserError);
    await expect(generateDemo(engine, { customers: 1.5 })).rejects.toThrow(UserError);
    await expect(generateDemo(engine, { seed: -1 })).rejects.toThrow(UserError);
    await expect(generateDemo(engine, { endDate: '2025-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
    // nothing was touched
    expect((await one(`SELECT count(*) AS n FROM customers`)).n).toBe(CUSTOMERS);
  });
});

describe('generateDemo determinism', () => {
  /** Order-independent checksum of every demo table. */
  async function checksums(e: Engine): Promise<string[]> {
    const out: string[] = [];
    for (const t of Object.keys(summary.rows)) {
      const [r] = await e.query(`SELECT count(*) AS n, coalesce(sum(hash(x)), 0)::VARCHAR AS h FROM ${t} x`);
      out.push(`${t}:${String(r?.n)}:${String(r?.h)}`);
    }
    return out;
  }

  it('gives identical data for the same seed whatever the batch size, and other data for another seed', async () => {
    const a = await tempWorkspace();
    try {
      const n = 6_000;
      await generateDemo(a.engine, { customers: n, seed: 7, endDate: END });
      const reference = await checksums(a.engine);
      await generateDemo(a.engine, { customers: n, seed: 7, endDate: END, batchSize: 1_700 });
      expect(await checksums(a.engine)).toEqual(reference);
      await generateDemo(a.engine, { customers: n, seed: 8, endDate: END });
      const other = await checksums(a.engine);
      // every table with per-customer rows differs (campaigns hold the one fixed campaign)
      for (const i of [0, 1, 2, 3, 4, 6]) expect(other[i]).not.toBe(reference[i]);
      expect(other[5]).toBe(reference[5]);
    } finally {
      await a.cleanup();
    }
  });

  it('follows the end date', async () => {
    const a = await tempWorkspace();
    try {
      const s = await generateDemo(a.engine, { customers: 2_000, seed: 1, endDate: '2020-02-29' });
      expect(s.startDate).toBe('2016-03-01');
      const r = await a.engine.query(
        `SELECT max("date")::DATE::VARCHAR AS hi, min("date")::DATE::VARCHAR AS lo FROM transactions`,
      );
      expect(r[0]!.hi! <= '2020-02-29').toBe(true);
      expect(r[0]!.lo! >= '2016-03-01').toBe(true);
    } finally {
      await a.cleanup();
    }
  });
});
