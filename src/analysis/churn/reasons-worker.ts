/**
 * Worker thread of `churnReasons`: rebuilds the model from its JSON and the rows from their columns, and
 * sends back the top reasons of every row. Pure computation: no workspace, no I/O.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeatureTable } from '../../models/learn/feature-table.js';
import { churnModelFromJson, type ChurnModelKind } from './churn-learner.js';

interface ReasonsTask {
  readonly kind: ChurnModelKind;
  readonly model: unknown;
  readonly table: FeatureTable;
  readonly top: number;
}

const task = workerData as ReasonsTask;
parentPort!.postMessage(churnModelFromJson(task.kind, task.model).reasons(task.table, task.top));
