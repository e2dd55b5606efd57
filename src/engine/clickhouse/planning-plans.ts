import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { StoredPlan, StoredPlanInput } from '../planning-types.js';

export function chSavePlan(_engine: ClickHouseEngine, _plan: StoredPlanInput): Promise<string> {
  return notOnClickHouse('stored plans');
}

export function chLoadPlan(
  _engine: ClickHouseEngine,
  _planId?: string,
  _kind?: 'retention' | 'winback',
): Promise<StoredPlan | null> {
  return notOnClickHouse('stored plans');
}
