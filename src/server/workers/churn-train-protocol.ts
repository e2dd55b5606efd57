/** Messages between the server and the churn-training worker (structured-clone friendly: typed arrays). */
import type { TrainChurnOptions, TrainedChurn } from '../../analysis/churn/train-churn.js';
import type { LabelledTable } from '../../models/learn/feature-table.js';

export interface TrainRequest {
  readonly data: LabelledTable;
  readonly ids: readonly string[];
  readonly options: TrainChurnOptions;
}

/** A trained run with the model as its JSON (a fitted model has methods and cannot cross threads). */
export type TrainedRunMessage = Omit<TrainedChurn, 'model'> & {
  readonly kind: TrainedChurn['model']['kind'];
  readonly modelJson: unknown;
};

export type TrainResponse =
  | { readonly ok: true; readonly run: TrainedRunMessage }
  | { readonly ok: false; readonly userError: boolean; readonly message: string; readonly stack?: string };
