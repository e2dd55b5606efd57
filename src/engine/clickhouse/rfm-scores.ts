/**
 * RFM scores, segments, segment summaries and bin edges from per-customer (recency, frequency, monetary)
 * values, with DuckDB's semantics (duckdb/rfm.ts): score = 1 + floor(bins * (rank - 1) / n) where rank is
 * SQL's rank() (1 + the customers strictly before, so ties share a score), recency ranked descending; the
 * segment is the cell of (R, round((F + M) / 2)) on the 1..5 scale, and customers whose cell is missing
 * from the map are left out, as DuckDB's inner join leaves them out.
 */
import type { RfmCustomers, RfmSegmentSummary } from '../rfm-types.js';

export interface RfmValues {
  readonly customerIds: readonly string[];
  readonly recency: Float64Array;
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
}

/** rank() of each value in the order given (ascending, or descending when `descending`). */
function ranks(values: Float64Array, descending: boolean): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sign = descending ? -1 : 1;
  order.sort((a, b) => sign * (values[a]! - values[b]!));
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const prev = j > 0 ? order[j - 1]! : -1;
    out[i] = prev >= 0 && values[prev] === values[i] ? out[prev]! : j + 1;
  }
  return out;
}

function scores(values: Float64Array, bins: number, descending: boolean): Float64Array {
  const n = values.length;
  const r = ranks(values, descending);
  return r.map((rank) => 1 + Math.floor((bins * (rank - 1)) / n));
}

/** A score on the 1..5 scale the segment map is written for (SQL round: half away from zero). */
const to5 = (s: number, bins: number): number =>
  bins === 5 ? s : Math.round(1 + ((s - 1) * 4) / (bins - 1));

/** The scored customers that have a segment, in the given order. */
export function scoreRfm(
  values: RfmValues,
  bins: number,
  cells: readonly (readonly string[])[],
): RfmCustomers {
  const r = scores(values.recency, bins, true);
  const f = scores(values.frequency, bins, false);
  const m = scores(values.monetary, bins, false);
  const keep: number[] = [];
  const segment: string[] = [];
  for (let i = 0; i < values.customerIds.length; i++) {
    const fm = to5(Math.round((f[i]! + m[i]!) / 2 + 0.0001), bins);
    const cell = cells[to5(r[i]!, bins) - 1]?.[fm - 1];
    if (cell === undefined) continue;
    keep.push(i);
    segment.push(cell);
  }
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
  return {
    customerIds: keep.map((i) => values.customerIds[i]!),
    recency: pick(values.recency),
    frequency: pick(values.frequency),
    monetary: pick(values.monetary),
    rScore: pick(r),
    fScore: pick(f),
    mScore: pick(m),
    segment,
  };
}

/** Segments by revenue (highest first, then by name), as DuckDB's GROUP BY segment. */
export function rfmSegments(c: RfmCustomers): RfmSegmentSummary[] {
  const n = c.customerIds.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += c.monetary[i]!;
  const by = new Map<string, { customers: number; revenue: number; r: number; f: number }>();
  for (let i = 0; i < n; i++) {
    const s = by.get(c.segment[i]!) ?? { customers: 0, revenue: 0, r: 0, f: 0 };
    s.customers++;
    s.revenue += c.monetary[i]!;
    s.r += c.recency[i]!;
    s.f += c.frequency[i]!;
    by.set(c.segment[i]!, s);
  }
  return [...by.entries()]
    .map(([segment, s]) => ({
      segment,
      customers: s.customers,
      revenue: s.revenue,
      customerShare: n > 0 ? s.customers / n : 0,
      revenueShare: total !== 0 ? s.revenue / total : 0,
      meanRecency: s.r / s.customers,
      meanFrequency: s.f / s.customers,
      meanMonetary: s.revenue / s.customers,
    }))
    .sort((a, b) => b.revenue - a.revenue || (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
}

/** Per score present (ascending): the max (`max`) or min value of the customers with that score. */
export function rfmBinEdges(values: Float64Array, score: Float64Array, order: 'min' | 'max'): number[] {
  const edge = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const s = score[i]!;
    const v = values[i]!;
    const e = edge.get(s);
    if (e === undefined || (order === 'max' ? v > e : v < e)) edge.set(s, v);
  }
  return [...edge.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
