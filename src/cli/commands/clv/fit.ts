import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { fitClvModel } from '../../../analysis/clv/fit-clv-model.js';
import { CLV_MODEL_KINDS, type FitDocument } from '../../../analysis/clv/fit-document.js';
import { storeFit } from '../../../analysis/clv/stored-fits.js';
import { fitJson, storedFitJson } from '../../../analysis/clv/clv-json.js';
import { storedFitById } from '../../../analysis/clv/prediction-fits.js';
import { UserError } from '../../../util/errors.js';
import type { TimeUnit } from '../../../engine/summary-types.js';
import { withWorkspace } from '../../context.js';
import { choiceOption, numberListOption, numberOption } from '../../options.js';
import { formatTable, printJson } from '../../output.js';

interface FitCliOptions {
  model?: string;
  calibrationEnd?: string;
  timeUnit?: string;
  penalty?: string;
  survivors?: string;
  discountRate?: string;
  save?: string;
  json?: boolean;
}

export const TIME_UNITS = ['day', 'week', 'month'] as const;

export { fitJson };

function printFit(doc: FitDocument, fitId: number): void {
  process.stdout.write(
    `${doc.model} fitted on ${doc.customers} customers (log-likelihood ${doc.logLikelihood.toFixed(3)}), kept as fit ${fitId}\n\n` +
      formatTable(
        ['parameter', 'estimate', 'std. error'],
        Object.entries(doc.params).map(([k, v]) => [
          k,
          Number(v.toPrecision(7)),
          Number(doc.standardErrors[k]!.toPrecision(4)),
        ]),
      ) +
      '\n',
  );
}

export function registerClvFit(clv: Command): void {
  clv
    .command('fit')
    .description('fit a probabilistic CLV model and keep it in the workspace')
    .option('--model <model>', CLV_MODEL_KINDS.join(' | '))
    .option(
      '--calibration-end <date>',
      'last day of the calibration period, inclusive (default: last transaction day)',
    )
    .option('--time-unit <unit>', 'day | week | month (default week; bgbb and sbg: month)')
    .option('--penalty <weight>', 'L2 penalty on the log-parameters (default 0)')
    .option('--survivors <list>', 'sbg: survivors per period of one cohort, e.g. 1000,631,468,382,326')
    .option(
      '--discount-rate <rate>',
      'sbg: discount rate for DERL, yearly (per period with --survivors); default 0.1',
    )
    .option('--save <file>', 'also write the fit as JSON to this file')
    .option('--json', 'print { model, params, logLikelihood, standardErrors, customers, converged } as JSON')
    .addHelpText(
      'after',
      `
Parameter names follow the literature: bgnbd and mbgnbd r, alpha, a, b; pnbd r, alpha, s, beta;
bgbb alpha, beta, gamma, delta; gg p, q, v; sbg alpha, beta. The log-likelihood is the total over
customers on the stated time unit.
Examples:
  $ retain clv fit --model bgnbd --calibration-end 1997-09-30 --time-unit week --json
  $ retain clv fit --model gg --calibration-end 1997-09-30 --save gg.json
  $ retain clv fit --model sbg --survivors 1000,631,468,382,326,289,262,241 --json
  $ retain clv fit --model sbg --time-unit month          (cohorts from the subscriptions table)`,
    )
    .action(async (opts: FitCliOptions, cmd: Command) => {
      const model = choiceOption('--model', opts.model, CLV_MODEL_KINDS);
      const timeUnit = opts.timeUnit ? choiceOption('--time-unit', opts.timeUnit, TIME_UNITS) : undefined;
      const penalty = numberOption('--penalty', opts.penalty, { min: 0 });
      const survivors = numberListOption('--survivors', opts.survivors);
      const discountRate = numberOption('--discount-rate', opts.discountRate, { min: 0 });
      const options = {
        model,
        ...(opts.calibrationEnd ? { calibrationEnd: opts.calibrationEnd } : {}),
        ...(timeUnit ? { timeUnit: timeUnit as TimeUnit } : {}),
        ...(penalty !== undefined ? { penalty } : {}),
        ...(survivors ? { survivors } : {}),
        ...(discountRate !== undefined ? { discountRate } : {}),
      };
      await withWorkspace(cmd, async (engine) => {
        const doc = await fitClvModel(engine, options);
        const fitId = await storeFit(engine, doc);
        if (opts.save) writeFileSync(opts.save, JSON.stringify(doc, null, 2) + '\n');
        if (opts.json) return printJson(fitJson(doc, fitId));
        printFit(doc, fitId);
      });
    });

  clv
    .command('fits')
    .description('list the fitted models kept in the workspace, newest first (or show one with --id)')
    .option('--id <fitId>', 'show this fit: parameters, standard errors, log-likelihood, convergence')
    .option('--json', 'print as JSON')
    .action(async (opts: { id?: string; json?: boolean }, cmd: Command) => {
      const id = numberOption('--id', opts.id, { min: 1, integer: true });
      await withWorkspace(cmd, async (engine) => {
        if (id !== undefined) {
          const chosen = await storedFitById(engine, id);
          if (!chosen) throw new UserError(`no fit ${id} in the workspace (see retain clv fits)`);
          const json = storedFitJson(chosen.document, id);
          if (opts.json) return printJson(json);
          return printFit(chosen.document, id);
        }
        const fits = await engine.listModelFits();
        if (opts.json) return printJson(fits);
        process.stdout.write(
          formatTable(
            ['fit', 'model', 'fitted at', 'time unit', 'calibration end'],
            fits.map((f) => [f.fitId, f.model, f.fittedAt, f.timeUnit ?? '', f.calibrationEnd ?? '']),
          ) + '\n',
        );
      });
    });
}
