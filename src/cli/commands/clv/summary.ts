import type { Command } from 'commander';
import type { TimeUnit } from '../../../engine/summary-types.js';
import { withWorkspace } from '../../context.js';
import { writeColumnsCsv } from '../../csv-out.js';
import { choiceOption } from '../../options.js';
import { printJson } from '../../output.js';
import { TIME_UNITS } from './fit.js';

export function registerClvSummary(clv: Command): void {
  clv
    .command('summary')
    .description("per-customer frequency x, recency t_x, age T and mean repeat spend (the models' input)")
    .option('--calibration-end <date>', 'inclusive (default: last transaction day)')
    .option('--holdout-end <date>', 'also count holdout transactions up to this day, inclusive')
    .option('--time-unit <unit>', 'day | week | month (default week)')
    .option('--merge-period <unit>', 'purchases within one such period count once (default day)')
    .option('--out <file>', 'write every customer as CSV')
    .option('--json', 'print totals as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ retain clv summary --calibration-end 1997-09-30 --holdout-end 1998-06-30 --out summary.csv --json',
    )
    .action(
      async (
        opts: {
          calibrationEnd?: string;
          holdoutEnd?: string;
          timeUnit?: string;
          mergePeriod?: string;
          out?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const timeUnit = choiceOption('--time-unit', opts.timeUnit, TIME_UNITS, 'week') as TimeUnit;
        const mergePeriod = choiceOption('--merge-period', opts.mergePeriod, TIME_UNITS, 'day') as TimeUnit;
        await withWorkspace(cmd, async (engine) => {
          const s = await engine.customerSummary({
            timeUnit,
            mergePeriod,
            ...(opts.calibrationEnd ? { calibrationEnd: opts.calibrationEnd } : {}),
            ...(opts.holdoutEnd ? { holdoutEnd: opts.holdoutEnd } : {}),
          });
          if (opts.out)
            await writeColumnsCsv(opts.out, {
              customer_id: s.customerIds,
              x: s.x,
              t_x: s.tx,
              T: s.T,
              monetary: s.monetary,
              first_purchase: s.firstPurchase,
              ...(s.holdoutX ? { holdout_x: s.holdoutX, holdout_monetary: s.holdoutMonetary! } : {}),
            });
          const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
          const result = {
            calibrationEnd: s.calibrationEnd,
            holdoutEnd: s.holdoutEnd,
            timeUnit: s.timeUnit,
            mergePeriod: s.mergePeriod,
            customers: s.customerIds.length,
            repeatBuyers: s.x.filter((v) => v > 0).length,
            repeatTransactions: sum(s.x),
            holdoutTransactions: s.holdoutX ? sum(s.holdoutX) : null,
            holdoutLength: s.holdoutLength,
            out: opts.out ?? null,
          };
          if (opts.json) return printJson(result);
          process.stdout.write(
            `${result.customers} customers, ${result.repeatBuyers} repeat buyers, ${result.repeatTransactions} repeat purchases up to ${result.calibrationEnd}\n`,
          );
        });
      },
    );
}
