/**
 * RFM and customer values: the ClickHouse engine gives DuckDB's results on the same data (demo and CDNOW
 * 1/10 sample) on the two-shard test cluster. Scores, segments, counts and bin edges must be equal per
 * customer (ties included); sums and means within 1e-9 relative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RfmOptions, RfmResult } from '../../../src/engine/rfm-types.js';
import type { CustomerValueOptions } from '../../../src/engine/customer-value-types.js';
import { DEFAULT_SEGMENT_MAP, segmentOf } from '../../../src/analysis/rfm/segment-map.js';
import { cdnowTwins, clickhouse, closeTo, demoTwins, type Twins } from './twins.js';

const REL = 1e-9;
const CELLS = [1, 2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((fm) => segmentOf(DEFAULT_SEGMENT_MAP, r, fm)));
/** A map without its last R row and FM column: customers in those cells get no segment (left out). */
const PARTIAL_CELLS = CELLS.slice(0, 4).map((row) => row.slice(0, 4));

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    if (!closeTo(a[i]!, b[i]!, REL)) expect.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

async function compareRfm(t: Twins, options: Omit<RfmOptions, 'cells'> & { cells?: RfmOptions['cells'] }) {
  const o = { cells: CELLS, perCustomer: true, ...options };
  const d = await t.duck.rfm(o);
  const c = await t.ch.rfm(o);
  const plain = (r: RfmResult) => ({
    asOf: r.asOf,
    bins: r.bins,
    windowDays: r.windowDays,
    customers: r.customers,
    withoutPurchases: r.withoutPurchases,
    binEdges: { recency: r.binEdges.recency, frequency: r.binEdges.frequency },
    segments: r.segments.map((s) => [s.segment, s.customers]),
  });
  expect(plain(c)).toEqual(plain(d));
  // sums of amounts may differ in the last bits between engines (summation order): monetary within REL
  expectClose(c.binEdges.monetary, d.binEdges.monetary, 'monetary bin edges');
  c.segments.forEach((s, i) => {
    const e = d.segments[i]!;
    expectClose(
      [s.revenue, s.customerShare, s.revenueShare, s.meanRecency, s.meanFrequency, s.meanMonetary],
      [e.revenue, e.customerShare, e.revenueShare, e.meanRecency, e.meanFrequency, e.meanMonetary],
      `segment ${s.segment}`,
    );
  });
  const pc = c.perCustomer!;
  const pd = d.perCustomer!;
  expect(pc.customerIds).toEqual(pd.customerIds);
  expect(pc.segment).toEqual(pd.segment);
  for (const k of ['recency', 'frequency', 'rScore', 'fScore', 'mScore'] as const)
    expect(Array.from(pc[k]), k).toEqual(Array.from(pd[k]));
  expectClose(pc.monetary, pd.monetary, 'monetary');
  // non-trivial: several segments and every score used
  expect(d.segments.length).toBeGreaterThan(3);
  expect(new Set(pd.rScore).size).toBeGreaterThan(1);
  expect(new Set(pd.mScore).size).toBeGreaterThan(2);
  // without per-customer rows the summary is the same
  const brief = await t.ch.rfm({ ...o, perCustomer: false });
  expect(brief.perCustomer).toBeNull();
  expect(plain(brief)).toEqual(plain(c));
  return d;
}

async function compareValues(t: Twins, options: CustomerValueOptions) {
  const d = await t.duck.customerValues(options);
  const c = await t.ch.customerValues(options);
  expect([c.asOf, c.windowDays, c.hasCost]).toEqual([d.asOf, d.windowDays, d.hasCost]);
  expect(c.customerIds).toEqual(d.customerIds);
  expect(Array.from(c.frequency)).toEqual(Array.from(d.frequency));
  for (const k of ['revenue', 'profit', 'averageOrderValue', 'recentRevenue', 'monthlyRevenue'] as const)
    expectClose(c[k], d[k], k);
  // non-trivial: repeat buyers and some recent revenue
  expect(d.frequency.some((f) => f > 1)).toBe(true);
  expect(d.recentRevenue.some((v) => v !== 0)).toBe(true);
  return d;
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => e.message,
  );

describe.skipIf(!clickhouse)('RFM and customer values on ClickHouse: demo', () => {
  let t: Twins;
  let last: string;
  beforeAll(async () => {
    t = await demoTwins('retain_test_rfm_demo', 2000);
    last = (await t.duck.lastTransactionDay())!;
  }, 120_000);
  afterAll(async () => t?.close());

  const daysBefore = (iso: string, days: number) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

  it('scores and segments every customer as DuckDB does (bins, windows, as-of dates)', async () => {
    const d = await compareRfm(t, {});
    expect(d.customers).toBeGreaterThan(1000);
    await compareRfm(t, { bins: 3 });
    await compareRfm(t, { bins: 4, windowDays: 365 });
    await compareRfm(t, { bins: 9, windowDays: 180 });
    await compareRfm(t, { bins: 10, asOf: daysBefore(last, 200) });
    const early = await compareRfm(t, { asOf: daysBefore(last, 600), windowDays: 90 });
    expect(early.withoutPurchases).toBeGreaterThan(0);
  });

  it('leaves out the customers whose cell the segment map lacks, as DuckDB does', async () => {
    const d = await compareRfm(t, { cells: PARTIAL_CELLS });
    const full = await t.duck.rfm({ cells: CELLS });
    expect(d.customers).toBeLessThan(full.customers);
  });

  it('refuses the same bad options', async () => {
    for (const o of [{ bins: 1 }, { bins: 11 }, { windowDays: 0 }, { asOf: '2024-13-01' }]) {
      const d = await errorOf(t.duck.rfm({ cells: CELLS, ...o }));
      expect(d).not.toBe('ok');
      expect(await errorOf(t.ch.rfm({ cells: CELLS, ...o }))).toBe(d);
    }
  });

  it('gives the same customer values (default, windows, as-of dates, with costs)', async () => {
    const d = await compareValues(t, {});
    expect(d.hasCost).toBe(true);
    expect(d.frequency.some((f) => f === 0)).toBe(true);
    await compareValues(t, { windowDays: 90 });
    await compareValues(t, { windowDays: 730, asOf: daysBefore(last, 100) });
    await compareValues(t, { windowDays: 100_000 });
    for (const o of [{ windowDays: -1 }, { windowDays: 1.5 }, { asOf: '2024-02-30' }]) {
      const e = await errorOf(t.duck.customerValues(o));
      expect(e).not.toBe('ok');
      expect(await errorOf(t.ch.customerValues(o))).toBe(e);
    }
  });
});

describe.skipIf(!clickhouse)('RFM and customer values on ClickHouse: CDNOW', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_rfm_cdnow');
  }, 120_000);
  afterAll(async () => t?.close());

  it('scores and segments every customer as DuckDB does, heavy ties included', async () => {
    const d = await compareRfm(t, {});
    expect(d.customers).toBe(2357);
    await compareRfm(t, { asOf: '1997-09-30' });
    await compareRfm(t, { bins: 7, windowDays: 120, asOf: '1998-01-31' });
  });

  it('gives the same customer values (no costs)', async () => {
    const d = await compareValues(t, { asOf: '1997-12-31', windowDays: 365 });
    expect(d.hasCost).toBe(false);
    const late = await compareValues(t, { windowDays: 180 });
    expect(late.frequency.some((f) => f === 0)).toBe(true);
  });
});
