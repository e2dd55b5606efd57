/**
 * Worker thread entry: trains one churn model (CPU-bound: gradient-boosted trees take tens of seconds at a
 * million customers) on typed arrays the main thread computed with the engine, so that the server's event
 * loop stays free. One worker per training; the main thread terminates it to cancel.
 */
import { parentPort } from 'node:worker_threads';
import { trainChurn } from '../../analysis/churn/train-churn.js';
import { UserError } from '../../util/errors.js';
import type { TrainRequest, TrainResponse } from './churn-train-protocol.js';

parentPort!.on('message', (request: TrainRequest) => {
  let response: TrainResponse;
  try {
    const { model, ...rest } = trainChurn(request.data, request.ids, request.options);
    response = { ok: true, run: { ...rest, kind: model.kind, modelJson: model.toJson() } };
  } catch (error) {
    response = {
      ok: false,
      userError: error instanceof UserError,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    };
  }
  parentPort!.postMessage(response);
});
