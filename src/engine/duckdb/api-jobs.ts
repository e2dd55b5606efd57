/** Server job records in DuckDB: one row per job, replaced as the job moves on. */
import type { StoredJob } from '../job-types.js';
import type { DuckDbEngine } from './duckdb-engine.js';

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v: unknown): unknown =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as unknown);
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function duckDbSaveJob(engine: DuckDbEngine, job: StoredJob): Promise<void> {
  await engine.run(`INSERT OR REPLACE INTO api_jobs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
    job.id,
    job.kind,
    job.status,
    job.createdBy,
    job.createdAt,
    job.startedAt,
    job.finishedAt,
    json(job.params),
    json(job.result),
    json(job.error),
  ]);
}

/** The newest `limit` jobs, newest first. */
export async function duckDbStoredJobs(engine: DuckDbEngine, limit: number): Promise<StoredJob[]> {
  const rows = await engine.query(
    `SELECT job_id, kind, status, created_by, created_at, started_at, finished_at, params, result, error
     FROM api_jobs ORDER BY created_at DESC, job_id LIMIT ${Math.max(0, Math.floor(limit))}`,
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
