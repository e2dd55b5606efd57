import type { Command } from 'commander';
import { readFitDocument } from '../../../analysis/clv/fit-document.js';
import { predictClv } from '../../../analysis/clv/predict-clv.js';
import { predictionJson, topPredictedCustomers } from '../../../analysis/clv/clv-json.js';
import { choosePredictionFits, chooseSpendFit } from '../../../analysis/clv/prediction-fits.js';
import { savePredictions } from '../../../analysis/clv/saved-predictions.js';
import { UserError } from '../../../util/errors.js';
import { withWorkspace } from '../../context.js';
import { writeColumnsCsv } from '../../csv-out.js';
import { numberOption, requiredNumber } from '../../options.js';
import { formatTable, printJson } from '../../output.js';

interface PredictCliOptions {
  horizon?: string;
  discountRate?: string;
  margin?: string;
  modelFile?: string;
  spendModelFile?: string;
  intervals?: string;
  pmf?: string;
  out?: string;
  limit?: string;
  fit?: string;
  spendFit?: string;
  save?: boolean;
  json?: boolean;
}

export function registerClvPredict(clv: Command): void {
  clv
    .command('predict')
    .description('per-customer P(alive), expected transactions, expected spend and discounted CLV')
    .option('--horizon <n>', 'horizon in the model time unit (e.g. 52 weeks)')
    .option('--discount-rate <rate>', 'yearly discount rate (default 0.1)')
    .option('--margin <m>', 'profit margin applied to spend, in (0, 1] (default 1 = revenue)')
    .option(
      '--model-file <file>',
      'transaction model fit (default: the latest bgnbd/pnbd/mbgnbd fit in the workspace)',
    )
    .option(
      '--spend-model-file <file>',
      'Gamma-Gamma fit (default: the latest gg fit in the workspace, if any)',
    )
    .option('--fit <id>', 'transaction model: this workspace fit (see retain clv fits)')
    .option('--spend-fit <id>', 'spend model: this workspace Gamma-Gamma fit')
    .option(
      '--save',
      "keep every customer's prediction in the workspace (replacing the last run) for retain clv predictions / distribution and the dashboard",
    )
    .option('--intervals <draws>', '5-95 % intervals from this many parameter draws (e.g. 200)')
    .option(
      '--pmf <n>',
      'also give P(0..n transactions over the horizon) per customer (in --out and the listed customers)',
    )
    .option('--out <file>', 'write every customer as CSV')
    .option('--limit <n>', 'customers listed in the output, highest CLV first (default 20)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ retain clv fit --model bgnbd --calibration-end 1997-09-30 && retain clv fit --model gg --calibration-end 1997-09-30
  $ retain clv predict --horizon 52 --discount-rate 0.1 --margin 0.3 --out clv.csv --json
  $ retain clv predict --horizon 52 --save && retain clv distribution
  $ retain clv predict --horizon 39 --model-file bgnbd.json --intervals 200`,
    )
    .action(async (opts: PredictCliOptions, cmd: Command) => {
      const horizon = requiredNumber('--horizon', opts.horizon, { min: 1, integer: true });
      const discountRate = numberOption('--discount-rate', opts.discountRate, { min: 0 });
      const margin = numberOption('--margin', opts.margin, { min: 0, max: 1 });
      const draws = numberOption('--intervals', opts.intervals, { min: 2, integer: true, max: 10000 });
      const limit = numberOption('--limit', opts.limit, { min: 0, integer: true }) ?? 20;
      const pmfMax = numberOption('--pmf', opts.pmf, { min: 0, max: 100, integer: true });
      const fitId = numberOption('--fit', opts.fit, { min: 1, integer: true });
      const spendFitId = numberOption('--spend-fit', opts.spendFit, { min: 1, integer: true });
      if (opts.modelFile && fitId !== undefined) throw new UserError('give --model-file or --fit, not both');
      if (opts.spendModelFile && spendFitId !== undefined)
        throw new UserError('give --spend-model-file or --spend-fit, not both');
      await withWorkspace(cmd, async (engine) => {
        // fits from files have no workspace id; the workspace's are chosen by id or as the newest
        const chosen = opts.modelFile
          ? null
          : await choosePredictionFits(engine, {
              ...(fitId !== undefined ? { fitId } : {}),
              ...(spendFitId !== undefined ? { spendFitId } : {}),
            });
        const fit = chosen ? chosen.fit.document : readFitDocument(opts.modelFile!);
        const spend = opts.spendModelFile
          ? null
          : chosen
            ? chosen.spendFit
            : await chooseSpendFit(engine, spendFitId);
        const spendFit = opts.spendModelFile
          ? readFitDocument(opts.spendModelFile)
          : (spend?.document ?? null);
        const result = await predictClv(engine, fit, spendFit, {
          horizon,
          ...(discountRate !== undefined ? { discountRate } : {}),
          ...(margin !== undefined ? { margin } : {}),
          ...(draws !== undefined ? { intervalDraws: draws } : {}),
          ...(pmfMax !== undefined ? { pmfMax } : {}),
        });
        const saved = opts.save
          ? await savePredictions(engine, result, {
              fitId: chosen?.fit.fitId ?? null,
              spendFitId: spend?.fitId ?? null,
            })
          : undefined;
        const c = result.perCustomer;
        if (opts.out) {
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            x: c.x,
            t_x: c.tx,
            T: c.T,
            probability_alive: c.probabilityAlive,
            expected_transactions: c.expectedTransactions,
            ...(c.expectedTransactionsLower
              ? { expected_transactions_lower: c.expectedTransactionsLower }
              : {}),
            ...(c.expectedTransactionsUpper
              ? { expected_transactions_upper: c.expectedTransactionsUpper }
              : {}),
            expected_spend: c.expectedSpend,
            clv: c.clv,
            ...(c.clvLower ? { clv_lower: c.clvLower } : {}),
            ...(c.clvUpper ? { clv_upper: c.clvUpper } : {}),
            ...Object.fromEntries((c.probabilityOfN ?? []).map((p, k) => [`p_${k}`, p])),
          });
        }
        const top = topPredictedCustomers(result, limit);
        if (opts.json)
          return printJson(
            predictionJson(result, {
              limit,
              out: opts.out ?? null,
              ...(saved ? { saved: { ...saved } } : {}),
            }),
          );
        process.stdout.write(
          `${result.model} + ${result.spendModel}, ${result.customers} customers, horizon ${horizon} ${result.timeUnit}s, ` +
            `discount ${result.discountRate} a year, margin ${result.margin}\n` +
            `expected transactions ${result.totals.expectedTransactions.toFixed(1)}, customer equity (sum of CLV) ${result.totals.clv.toFixed(2)}\n\n` +
            formatTable(
              ['customer', 'x', 'P(alive)', 'E[transactions]', 'E[spend]', 'CLV'],
              top.map((t) => [
                t.customerId,
                t.x,
                round(t.probabilityAlive, 3),
                round(t.expectedTransactions, 3),
                round(t.expectedSpend, 2),
                round(t.clv, 2),
              ]),
            ) +
            '\n' +
            result.notes.map((n) => `note: ${n}\n`).join('') +
            (saved ? `kept ${saved.customers} customers' predictions in the workspace\n` : ''),
        );
      });
    });
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
