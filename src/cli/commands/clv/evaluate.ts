import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateClv, type ClvEvaluation } from '../../../analysis/clv/evaluate-clv.js';
import { evaluationJson } from '../../../analysis/clv/clv-json.js';
import { CONTINUOUS_MODEL_KINDS } from '../../../analysis/clv/transaction-models.js';
import type { TimeUnit } from '../../../engine/summary-types.js';
import { UserError } from '../../../util/errors.js';
import { withWorkspace } from '../../context.js';
import { writeColumnsCsv } from '../../csv-out.js';
import { choiceOption, numberOption } from '../../options.js';
import { formatTable, printJson } from '../../output.js';
import { TIME_UNITS } from './fit.js';

interface EvaluateCliOptions {
  calibrationEnd?: string;
  holdoutEnd?: string;
  model?: string;
  timeUnit?: string;
  penalty?: string;
  frequencyGroups?: string;
  matrixHorizon?: string;
  plot?: string;
  out?: string;
  json?: boolean;
}

export { evaluationJson };

const round = (v: number | null, digits: number) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

function printText(e: ClvEvaluation, files: { plots: readonly string[]; out: string | null }): void {
  const h = e.holdout;
  const lines = [
    `${e.modelLabel} fitted on ${e.fit.customers} customers up to ${e.calibrationEnd}; holdout to ${e.holdoutEnd} ` +
      `(${round(e.holdoutLength, 2)} ${e.timeUnit}s)`,
    `params: ${Object.entries(e.fit.params)
      .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
      .join(', ')}`,
    `holdout repeat transactions of ${h.customers} customers: predicted ${h.predictedTotal.toFixed(1)}, actual ${h.actualTotal}` +
      (h.relativeError === null ? '' : ` (${(h.relativeError * 100).toFixed(1)} %)`),
    `per customer: MAE ${h.mae.toFixed(3)}, RMSE ${h.rmse.toFixed(3)}, correlation ${h.correlation === null ? 'n/a' : h.correlation.toFixed(3)}`,
    `tracking: calibration actual ${e.tracking.calibration.actual}, expected ${e.tracking.calibration.expected.toFixed(1)}; ` +
      `holdout actual ${e.tracking.holdout.actual}, expected ${e.tracking.holdout.expected.toFixed(1)}`,
    '',
    formatTable(
      ['x (calibration)', 'customers', 'actual mean', 'predicted mean'],
      e.byFrequency.map((g) => [g.label, g.customers, round(g.meanActual, 3), round(g.meanPredicted, 3)]),
    ),
    '',
    ...files.plots.map((f) => `wrote ${f}`),
    ...(files.out ? [`wrote ${files.out}`] : []),
    ...e.notes.map((n) => `note: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export function registerClvEvaluate(clv: Command): void {
  clv
    .command('evaluate')
    .description(
      'fit on a calibration period and compare predictions with the holdout period (tables, charts)',
    )
    .option('--calibration-end <date>', 'last day of the calibration period, inclusive (required)')
    .option('--holdout-end <date>', 'last day of the holdout period, inclusive (required)')
    .option('--model <model>', `${CONTINUOUS_MODEL_KINDS.join(' | ')} (default bgnbd)`)
    .option(
      '--time-unit <unit>',
      'day | week | month (default week): unit of the model and of the tracking periods',
    )
    .option('--penalty <weight>', 'L2 penalty on the log-parameters of the fit (default 0)')
    .option('--frequency-groups <n>', 'group calibration frequency as 0, 1, ..., n-1, n+ (default 7)')
    .option('--matrix-horizon <t>', 'horizon of the expected-transactions matrix, in time units (default 1)')
    .option('--plot <dir>', 'write the charts as SVG files into this directory (created if needed)')
    .option('--out <file>', 'write every customer (history, P(alive), predicted and actual holdout) as CSV')
    .option('--json', 'print the result as JSON (without the per-customer rows)')
    .addHelpText(
      'after',
      `
Holdout transactions are counted like x: purchases on the same day count once. Predicted per customer is
the model's conditional expectation over the holdout length; the tracking series compares actual repeat
transactions per period with the model's expectation for customers of the same first-purchase days.
--plot writes tracking-cumulative.svg, tracking-weekly.svg (per period), holdout-by-frequency.svg,
holdout-per-customer.svg, probability-alive-matrix.svg and frequency-recency-matrix.svg.
Examples:
  $ retain clv evaluate --calibration-end 1997-09-30 --holdout-end 1998-06-30 --plot charts
  $ retain clv evaluate --calibration-end 1997-09-30 --holdout-end 1998-06-30 --model pnbd --json
  $ retain clv evaluate --calibration-end 2024-06-30 --holdout-end 2024-12-31 --out holdout.csv`,
    )
    .action(async (opts: EvaluateCliOptions, cmd: Command) => {
      if (!opts.calibrationEnd) throw new UserError('--calibration-end is required (YYYY-MM-DD)');
      if (!opts.holdoutEnd) throw new UserError('--holdout-end is required (YYYY-MM-DD)');
      const model = choiceOption('--model', opts.model, CONTINUOUS_MODEL_KINDS, 'bgnbd');
      const timeUnit = choiceOption('--time-unit', opts.timeUnit, TIME_UNITS, 'week') as TimeUnit;
      const penalty = numberOption('--penalty', opts.penalty, { min: 0 });
      const frequencyGroups = numberOption('--frequency-groups', opts.frequencyGroups, {
        min: 1,
        max: 100,
        integer: true,
      });
      const matrixHorizon = numberOption('--matrix-horizon', opts.matrixHorizon, { min: 0 });
      if (matrixHorizon === 0) throw new UserError('--matrix-horizon must be greater than 0');
      await withWorkspace(cmd, async (engine) => {
        const e = await evaluateClv(engine, {
          model,
          calibrationEnd: opts.calibrationEnd!,
          holdoutEnd: opts.holdoutEnd!,
          timeUnit,
          ...(penalty !== undefined ? { penalty } : {}),
          ...(frequencyGroups !== undefined ? { frequencyGroups } : {}),
          ...(matrixHorizon !== undefined ? { matrixHorizon } : {}),
        });
        const plots: string[] = [];
        if (opts.plot) {
          // ECharts takes a while to load: only when charts are asked for
          const { evaluationCharts } = await import('../../../charts/clv-evaluation-charts.js');
          try {
            mkdirSync(opts.plot, { recursive: true });
          } catch (error) {
            throw new UserError(`--plot: cannot create ${opts.plot} (${(error as Error).message})`);
          }
          for (const [name, svg] of Object.entries(evaluationCharts(e))) {
            const file = join(opts.plot, name);
            writeFileSync(file, svg);
            plots.push(file);
          }
        }
        if (opts.out) {
          const c = e.perCustomer;
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            first_purchase: c.firstPurchase,
            x: c.x,
            t_x: c.tx,
            T: c.T,
            probability_alive: c.probabilityAlive,
            predicted_holdout: c.predicted,
            actual_holdout: c.actual,
          });
        }
        const files = { plots, out: opts.out ?? null };
        if (opts.json) return printJson(evaluationJson(e, files));
        printText(e, files);
      });
    });
}
