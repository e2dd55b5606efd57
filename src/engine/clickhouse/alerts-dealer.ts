import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { DealerGradeOptions, DealerGradeResult } from '../alert-types.js';

export function chDealerGrades(
  _engine: ClickHouseEngine,
  _options: DealerGradeOptions,
): Promise<DealerGradeResult> {
  return notOnClickHouse('dealer grades');
}
