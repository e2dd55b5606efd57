import type { Command } from 'commander';
import { registerClvCohort } from './clv/cohort.js';
import { registerClvEvaluate } from './clv/evaluate.js';
import { registerClvFit } from './clv/fit.js';
import { registerClvFormula } from './clv/formula.js';
import { registerClvPredict } from './clv/predict.js';
import { registerClvPredictions } from './clv/predictions.js';
import { registerClvSummary } from './clv/summary.js';

export function registerClv(program: Command): void {
  const clv = program
    .command('clv')
    .description('customer lifetime value: formula models, probabilistic models, predictions');
  registerClvFormula(clv);
  registerClvCohort(clv);
  registerClvSummary(clv);
  registerClvFit(clv);
  registerClvPredict(clv);
  registerClvPredictions(clv);
  registerClvEvaluate(clv);
}
