/** Server job records in ClickHouse: each save writes the job's row again with a higher version. */
import type { StoredJob } from '../job-types.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { nextVersion } from './records.js';

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v: unknown): unknown =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as unknown);
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function chSaveJob(engine: ClickHouseEngine, job: StoredJob): Promise<void> {
  await engine.conn.insertRows(engine.t('api_jobs'), [
    {
      job_id: job.id,
      kind: job.kind,
      status: job.status,
      created_by: job.createdBy,
      created_at: job.createdAt,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      params: json(job.params),
      result: json(job.result),
      error: json(job.error),
      version: nextVersion(),
      deleted: 0,
    },
  ]);
}

export async function chStoredJobs(engine: ClickHouseEngine, limit: number): Promise<StoredJob[]> {
  const rows = await engine.conn.query(
    `SELECT job_id, kind, status, created_by, created_at, started_at, finished_at, params, result, error
     FROM ${engine.t('api_jobs')} FINAL WHERE deleted = 0
     ORDER BY created_at DESC, job_id LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  return rows.map((r) => ({
    id: String(r.job_id),
    kind: String(r.kind),
    status: String(r.status),
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    params: parse(r.params),
    result: parse(r.result),
    error: parse(r.error),
  }));
}
