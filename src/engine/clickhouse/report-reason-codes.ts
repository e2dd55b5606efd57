/** The workspace's churn reason-code taxonomy in ClickHouse (a ReplacingMergeTree keyed by code). */
import type { ReasonCode } from '../../data/reason-codes.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { nextVersion } from './records.js';

export async function chReasonCodes(engine: ClickHouseEngine): Promise<ReasonCode[]> {
  const rows = await engine.conn.query(`SELECT code, reason, reason_zh, type, family
    FROM ${engine.t('reason_codes')} FINAL WHERE deleted = 0 ORDER BY code`);
  return rows.map((r) => ({
    code: String(r.code),
    reason: String(r.reason),
    reasonZh: r.reason_zh === null || r.reason_zh === undefined ? '' : String(r.reason_zh),
    type: String(r.type) as ReasonCode['type'],
    family: String(r.family) as ReasonCode['family'],
  }));
}

/** Insert the codes, replacing those of the same code; one insert, so all or nothing. */
export async function chSaveReasonCodes(
  engine: ClickHouseEngine,
  codes: readonly ReasonCode[],
): Promise<void> {
  const version = nextVersion();
  await engine.conn.insertRows(
    engine.t('reason_codes'),
    codes.map((c) => ({
      code: c.code,
      reason: c.reason,
      reason_zh: c.reasonZh === '' ? null : c.reasonZh,
      type: c.type,
      family: c.family,
      version,
      deleted: 0,
    })),
  );
}
