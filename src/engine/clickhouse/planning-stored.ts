import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from '../planning-stored-types.js';

export function chStoredPlans(_engine: ClickHouseEngine): Promise<StoredPlanSummary[]> {
  return notOnClickHouse('stored plans');
}

export function chStoredPlan(_engine: ClickHouseEngine, _planId: string): Promise<StoredPlanSummary | null> {
  return notOnClickHouse('stored plans');
}

export function chStoredPlanItems(
  _engine: ClickHouseEngine,
  _planId: string,
  _page: StoredPlanPageQuery,
): Promise<StoredPlanItemPage> {
  return notOnClickHouse('stored plans');
}
