/** The workspace's churn reason-code taxonomy (`reason_codes`): read, add, replace. */
import type { ReasonCode } from '../../data/reason-codes.js';
import type { DuckDbEngine } from './duckdb-engine.js';

export async function duckDbReasonCodes(engine: DuckDbEngine): Promise<ReasonCode[]> {
  const rows = await engine.query(
    `SELECT code, reason, reason_zh, "type", family FROM reason_codes ORDER BY code`,
  );
  return rows.map((r) => ({
    code: String(r.code),
    reason: String(r.reason),
    reasonZh: r.reason_zh === null || r.reason_zh === undefined ? '' : String(r.reason_zh),
    type: String(r.type) as ReasonCode['type'],
    family: String(r.family) as ReasonCode['family'],
  }));
}

/** Insert the codes, replacing existing ones of the same code; all or nothing. */
export async function duckDbSaveReasonCodes(
  engine: DuckDbEngine,
  codes: readonly ReasonCode[],
): Promise<void> {
  await engine.transaction(async () => {
    for (const c of codes) {
      await engine.run(`DELETE FROM reason_codes WHERE code = $1`, [c.code]);
      await engine.run(`INSERT INTO reason_codes VALUES ($1, $2, $3, $4, $5)`, [
        c.code,
        c.reason,
        c.reasonZh === '' ? null : c.reasonZh,
        c.type,
        c.family,
      ]);
    }
  });
}
