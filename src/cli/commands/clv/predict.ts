import type { Command } from 'commander';
import { readFitDocument } from '../../../analysis/clv/fit-document.js';
import { predictClv } from '../../../analysis/clv/predict-clv.js';
import { latestFit, latestTransactionFit } from '../../../analysis/clv/stored-fits.js';
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
  $ retain clv predict --horizon 39 --model-file bgnbd.json --intervals 200`,
    )
    .action(async (opts: PredictCliOptions, cmd: Command) => {
      const horizon = requiredNumber('--horizon', opts.horizon, { min: 1, integer: true });
      const discountRate = numberOption('--discount-rate', opts.discountRate, { min: 0 });
      const margin = numberOption('--margin', opts.margin, { min: 0, max: 1 });
      const draws = numberOption('--intervals', opts.intervals, { min: 2, integer: true, max: 10000 });
      const limit = numberOption('--limit', opts.limit, { min: 0, integer: true }) ?? 20;
      const pmfMax = numberOption('--pmf', opts.pmf, { min: 0, max: 100, integer: true });
      await withWorkspace(cmd, async (engine) => {
        const fit = opts.modelFile ? readFitDocument(opts.modelFile) : await latestTransactionFit(engine);
        if (!fit)
          throw new UserError(
            'no transaction model: run `retain clv fit --model bgnbd` first, or give --model-file',
          );
        const spendFit = opts.spendModelFile
          ? readFitDocument(opts.spendModelFile)
          : await latestFit(engine, 'gg');
        const result = await predictClv(engine, fit, spendFit, {
          horizon,
          ...(discountRate !== undefined ? { discountRate } : {}),
          ...(margin !== undefined ? { margin } : {}),
          ...(draws !== undefined ? { intervalDraws: draws } : {}),
          ...(pmfMax !== undefined ? { pmfMax } : {}),
        });
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
        const order = Array.from(c.clv.keys())
          .sort((a, b) => c.clv[b]! - c.clv[a]!)
          .slice(0, limit);
        const top = order.map((i) => ({
          customerId: c.customerIds[i]!,
          x: c.x[i]!,
          t_x: c.tx[i]!,
          T: c.T[i]!,
          probabilityAlive: c.probabilityAlive[i]!,
          expectedTransactions: c.expectedTransactions[i]!,
          expectedSpend: c.expectedSpend[i]!,
          clv: c.clv[i]!,
          ...(c.clvLower ? { clvInterval: [c.clvLower[i]!, c.clvUpper![i]!] } : {}),
          ...(c.probabilityOfN ? { probabilityOfN: c.probabilityOfN.map((p) => p[i]!) } : {}),
        }));
        const { perCustomer: _omit, ...summary } = result;
        if (opts.json) return printJson({ ...summary, out: opts.out ?? null, topCustomers: top });
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
            result.notes.map((n) => `note: ${n}\n`).join(''),
        );
      });
    });
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
