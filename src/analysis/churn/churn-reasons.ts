/**
 * Every customer's top churn reasons, spread over worker threads when there are many customers. Exact
 * TreeSHAP costs a few microseconds per customer and tree, minutes at a million customers on one core;
 * the rows are cut into contiguous chunks, one per worker, and the results joined in order, so the
 * output is the same as in one thread.
 *
 * Workers run the compiled `reasons-worker.js` next to this module; where it is not there (the
 * TypeScript sources under a test runner) everything runs in the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { takeRows, type FeatureTable } from '../../models/learn/feature-table.js';
import type { ChurnReason, FittedChurnModel } from './churn-learner.js';

export interface ChurnReasonsOptions {
  /** Worker threads (default RETAIN_WORKERS, else the available cores up to 4; 0 or 1: none). */
  readonly workers?: number;
  /** Fewer rows than this run in the calling thread (default RETAIN_WORKER_MIN_ROWS, else 50,000). */
  readonly minRows?: number;
}

const WORKER = new URL('./reasons-worker.js', import.meta.url);

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  return v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
}

/** Whether the compiled worker is there (false when running from the TypeScript sources). */
export function reasonsWorkerAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

export async function churnReasons(
  model: FittedChurnModel,
  table: FeatureTable,
  top: number,
  options: ChurnReasonsOptions = {},
): Promise<ChurnReason[][]> {
  const workers = Math.floor(
    options.workers ?? envNumber('RETAIN_WORKERS') ?? Math.min(4, availableParallelism()),
  );
  const minRows = options.minRows ?? envNumber('RETAIN_WORKER_MIN_ROWS') ?? 50_000;
  const parallel = workers > 1 && table.rows >= Math.max(minRows, workers) && reasonsWorkerAvailable();
  if (!parallel) return model.reasons(table, top);
  const json = model.toJson();
  const size = Math.ceil(table.rows / workers);
  const chunks = Array.from({ length: workers }, (_, w) => {
    const from = w * size;
    const to = Math.min(table.rows, from + size);
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  }).filter((rows) => rows.length > 0);
  const parts = await Promise.all(
    chunks.map(
      (rows) =>
        new Promise<ChurnReason[][]>((resolve, reject) => {
          const worker = new Worker(WORKER, {
            workerData: { kind: model.kind, model: json, table: takeRows(table, rows), top },
          });
          worker.once('message', (result: ChurnReason[][]) => {
            resolve(result);
            void worker.terminate();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`churn reasons worker stopped with exit code ${code}`));
          });
        }),
    ),
  );
  return parts.flat();
}
