import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  CohortCounts,
  CohortCountsOptions,
  SurvivalCounts,
  SurvivalCountsOptions,
  SurvivalSubjects,
  SurvivalSubjectsOptions,
} from '../survival-types.js';

export function chSurvivalCounts(
  _engine: ClickHouseEngine,
  _options: SurvivalCountsOptions,
): Promise<SurvivalCounts> {
  return notOnClickHouse('survival tables');
}

export function chSurvivalSubjects(
  _engine: ClickHouseEngine,
  _options: SurvivalSubjectsOptions,
): Promise<SurvivalSubjects> {
  return notOnClickHouse('survival tables');
}

export function chCohortCounts(
  _engine: ClickHouseEngine,
  _options: CohortCountsOptions,
): Promise<CohortCounts> {
  return notOnClickHouse('survival tables');
}
