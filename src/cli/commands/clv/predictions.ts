import type { Command } from 'commander';
import { CLV_HISTOGRAM_BINS } from '../../../engine/clv-prediction-types.js';
import { NO_STORED_PREDICTIONS } from '../../../analysis/clv/saved-predictions.js';
import { UserError } from '../../../util/errors.js';
import { withWorkspace } from '../../context.js';
import { numberOption } from '../../options.js';
import { formatTable, printJson } from '../../output.js';

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** `retain clv predictions` (a page of the stored run) and `retain clv distribution` (its totals). */
export function registerClvPredictions(clv: Command): void {
  clv
    .command('predictions')
    .description(
      'the stored CLV predictions (retain clv predict --save), highest CLV first, a page at a time',
    )
    .option('--search <text>', 'customers whose id contains this text')
    .option('--limit <n>', 'customers on the page (default 50)')
    .option('--offset <n>', 'customers to skip (default 0)')
    .option('--json', 'print { source, total, limit, offset, predictions } as JSON')
    .action(
      async (opts: { search?: string; limit?: string; offset?: string; json?: boolean }, cmd: Command) => {
        const limit = numberOption('--limit', opts.limit, { min: 0, integer: true }) ?? 50;
        const offset = numberOption('--offset', opts.offset, { min: 0, integer: true }) ?? 0;
        await withWorkspace(cmd, async (engine) => {
          const page = await engine.clvPredictions({
            ...(opts.search ? { search: opts.search } : {}),
            limit,
            offset,
          });
          if (opts.json) return printJson({ ...page, limit, offset });
          if (!page.source) throw new UserError(NO_STORED_PREDICTIONS);
          process.stdout.write(
            `${page.total} customers, ${page.source.model} + ${page.source.spendModel}, horizon ${page.source.horizon} ${page.source.timeUnit}s, saved ${page.source.savedAt}\n\n` +
              formatTable(
                ['customer', 'x', 'P(alive)', 'E[transactions]', 'E[spend]', 'CLV'],
                page.predictions.map((p) => [
                  p.customerId,
                  p.x,
                  round(p.probabilityAlive, 3),
                  round(p.expectedTransactions, 3),
                  round(p.expectedSpend, 2),
                  round(p.clv, 2),
                ]),
              ) +
              '\n',
          );
        });
      },
    );

  clv
    .command('distribution')
    .description(
      'totals (customers, customer equity, mean, median, expected transactions, share alive) and a histogram of the stored CLV predictions',
    )
    .option('--bins <n>', `equal-width bins up to the 99th percentile (default ${CLV_HISTOGRAM_BINS})`)
    .option('--json', 'print { source, totals, histogram, history } as JSON')
    .action(async (opts: { bins?: string; json?: boolean }, cmd: Command) => {
      const bins = numberOption('--bins', opts.bins, { min: 1, max: 200, integer: true });
      await withWorkspace(cmd, async (engine) => {
        const d = await engine.clvDistribution(bins);
        if (!d) throw new UserError(NO_STORED_PREDICTIONS);
        if (opts.json) return printJson(d);
        const t = d.totals;
        process.stdout.write(
          `${t.customers} customers, customer equity ${t.clv.toFixed(2)}, mean ${t.mean.toFixed(2)}, median ${t.median.toFixed(2)}, ` +
            `expected transactions ${t.expectedTransactions.toFixed(1)}, share alive ${(t.shareAlive * 100).toFixed(1)} %\n\n` +
            formatTable(
              ['CLV from', 'to', 'customers', 'sum of CLV'],
              d.histogram.map((b) => [round(b.from, 2), round(b.to, 2), b.customers, round(b.clv, 2)]),
            ) +
            '\n',
        );
      });
    });
}
