/**
 * Helpers of the planning and customer cross-engine tests: a deep comparison (numbers within a relative
 * tolerance, NaN equal to NaN, everything else exactly, in order) and stored churn scores written the same
 * way into both engines (DuckDB through saveChurnScores, ClickHouse as rows of `churn_scores`).
 */
import { expect } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import type { ClickHouseEngine } from '../../../src/engine/clickhouse/clickhouse-engine.js';
import { closeTo } from './twins.js';

/** Differences between `a` (DuckDB) and `b` (ClickHouse), as paths; numbers within `rel`. */
export function differences(a: unknown, b: unknown, rel = 1e-9, path = '$', out: string[] = []): string[] {
  if (out.length > 20) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Number.isNaN(a) ? Number.isNaN(b) : closeTo(a, b, rel))) out.push(`${path}: ${a} vs ${b}`);
    return out;
  }
  const arrayLike = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || ArrayBuffer.isView(v);
  if (arrayLike(a) && arrayLike(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], rel, `${path}[${i}]`, out);
    return out;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys)
      differences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        rel,
        `${path}.${k}`,
        out,
      );
    return out;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

/** DuckDB's and ClickHouse's results are the same (relative tolerance 1e-9 on numbers). */
export function expectSame(duck: unknown, ch: unknown, rel = 1e-9): void {
  expect(differences(duck, ch, rel)).toEqual([]);
}

/** The same stored churn scores in both engines. */
export async function saveScores(
  duck: Engine,
  ch: ClickHouseEngine,
  asOf: string,
  horizonDays: number,
  customerIds: readonly string[],
  probabilities: readonly number[],
  model = 'test-model',
): Promise<void> {
  const reasons = customerIds.map((id, i) => JSON.stringify([{ feature: 'recency', rank: i % 3, id }]));
  await duck.saveChurnScores({
    asOf,
    horizonDays,
    model,
    customerIds,
    probabilities: Float64Array.from(probabilities),
    reasons,
  });
  await ch.conn.insertRows(
    ch.t('churn_scores'),
    customerIds.map((id, i) => ({
      as_of: asOf,
      customer_id: id,
      horizon_days: horizonDays,
      probability: probabilities[i]!,
      reasons: reasons[i]!,
      model,
    })),
  );
}

/** A probability in [0, 1) with three decimals, fixed by the customer id and a salt. */
export function fakeProbability(id: string, salt: number): number {
  let h = salt * 2654435761;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return (h % 1000) / 1000;
}
