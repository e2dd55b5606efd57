/**
 * `POST /api/churn/train` as a job: per horizon, the engine computes the point-in-time features in the main
 * thread (under the engine lock: the DuckDB connection never leaves this thread), then a worker thread
 * trains on the typed arrays while the server keeps answering. Same steps and same document as the
 * library's `trainChurnFromWorkspace`, which the CLI calls.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Engine } from '../engine/engine.js';
import { churnModelFromJson } from '../analysis/churn/churn-learner.js';
import { CHURN_MODEL_FORMAT, type ChurnModelDocument } from '../analysis/churn/churn-model-file.js';
import {
  entryOf,
  trainOptions,
  type ChurnTrainResult,
  type WorkspaceTrainOptions,
} from '../analysis/churn/churn-train.js';
import type { TrainChurnOptions, TrainedChurn } from '../analysis/churn/train-churn.js';
import { featureNames, featureTableOf } from '../analysis/churn/workspace-table.js';
import { UserError } from '../util/errors.js';
import type { ProgressReporter } from '../util/progress.js';
import type { EngineLock } from './engine-lock.js';
import { JobCancelledError } from './jobs.js';
import { MESSAGES } from './messages.js';
import type { TrainRequest, TrainResponse } from './workers/churn-train-protocol.js';

/**
 * The worker's compiled file. Running from the TypeScript sources (tests), the compiled file of the build
 * (`npm run build`) is used: worker threads load JavaScript only.
 */
export function churnWorkerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = here.replace(/churn-train\.(ts|js)$/, 'workers/churn-train-worker.js');
  if (here.endsWith('.js')) return sibling;
  const root = dirname(dirname(dirname(here)));
  const built = join(root, 'dist', 'server', 'workers', 'churn-train-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the churn worker is not built: run \`npm run build\` (looked for ${built})`);
}

/** Train one model in a fresh worker thread; the signal terminates it. */
export function trainInWorker(request: TrainRequest, signal: AbortSignal): Promise<TrainedChurn> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new JobCancelledError());
    const worker = new Worker(churnWorkerPath());
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => done(() => reject(new JobCancelledError()));
    signal.addEventListener('abort', onAbort);
    worker.once('message', (response: TrainResponse) =>
      done(() => {
        if (!response.ok) {
          if (response.userError) return reject(new UserError(response.message));
          const error = new Error(response.message);
          if (response.stack) error.stack = response.stack;
          return reject(error);
        }
        const { kind, modelJson, ...rest } = response.run;
        resolve({ ...rest, model: churnModelFromJson(kind, modelJson) });
      }),
    );
    worker.once('error', (error) => done(() => reject(error)));
    worker.once('exit', (code) => done(() => reject(new Error(`${MESSAGES.workerFailed} (exit ${code})`))));
    worker.postMessage(request);
  });
}

export type ServerTrainOptions = Omit<WorkspaceTrainOptions, 'onHorizon'>;

export async function trainChurnInBackground(
  engine: Engine,
  lock: EngineLock,
  options: ServerTrainOptions,
  signal: AbortSignal,
  progress: ProgressReporter,
): Promise<ChurnTrainResult> {
  const horizons = options.horizons ?? [30, 90, 180];
  if (horizons.length === 0) throw new UserError('horizons needs at least one number of days');
  const exclude = new Set(options.exclude ?? []);
  const fit: TrainChurnOptions = { ...trainOptions(options), testFraction: options.testFraction ?? 0.3 };
  const runs: ChurnTrainResult['runs'][number][] = [];
  let population = 'subscriptions';
  for (const [k, H] of horizons.entries()) {
    progress({ phase: `features ${H}d`, done: k, total: horizons.length, unit: 'models' });
    const cols = await lock.run(() =>
      engine.churnFeatures({
        horizonDays: H,
        ...(options.asOf ? { asOf: options.asOf } : {}),
        ...(options.lostDays !== undefined ? { lostDays: options.lostDays } : {}),
      }),
    );
    if (signal.aborted) throw new JobCancelledError();
    population = cols.population;
    const names = new Set(featureNames(cols));
    for (const x of exclude)
      if (!names.has(x))
        throw new UserError(`exclude: no feature "${x}" (features: ${[...names].join(', ')})`);
    if (cols.customerIds.length < 20)
      throw new UserError(
        `only ${cols.customerIds.length} customers at risk on ${cols.asOf}: too few to train`,
      );
    progress({ phase: `training ${H}d`, done: k, total: horizons.length, unit: 'models' });
    const run = await trainInWorker(
      {
        data: { features: featureTableOf(cols, exclude), labels: cols.labels! },
        ids: cols.customerIds,
        options: fit,
      },
      signal,
    );
    runs.push({ ...run, horizonDays: H, asOf: cols.asOf });
    progress({ phase: 'horizons', done: k + 1, total: horizons.length, unit: 'models' });
  }
  const document: ChurnModelDocument = {
    format: CHURN_MODEL_FORMAT,
    version: 1,
    createdAt: new Date().toISOString(),
    source: { type: 'workspace', population, lostDays: options.lostDays ?? 60 },
    exclude: [...exclude],
    models: runs.map((r) => entryOf(r, r.horizonDays!, r.asOf!)),
  };
  return { document, runs };
}
