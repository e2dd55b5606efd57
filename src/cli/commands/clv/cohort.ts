import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { cohortValueTable, type CohortConfig } from '../../../models/formula/cohort-table.js';
import { customerBaseLifespan } from '../../../models/formula/lifespan.js';
import { UserError } from '../../../util/errors.js';
import { numberOption, requiredNumber } from '../../options.js';
import { formatTable, printJson } from '../../output.js';

export function registerClvCohort(clv: Command): void {
  clv
    .command('cohort')
    .description('the cohort lifetime-value table (Hughes style, DOMAIN 4.2) from a JSON config')
    .requiredOption(
      '--config <file>',
      'JSON: acquired, acquisitionCostPerCustomer, discountRate, riskFactor, years[]',
    )
    .option('--json', 'print the rows as JSON')
    .addHelpText(
      'after',
      `
The config (every computed column may be overridden per year: customers, revenue, variableCosts, discountFactor):
  { "acquired": 10000, "acquisitionCostPerCustomer": 60, "discountRate": 0.1, "riskFactor": 1.5,
    "years": [ { "retentionRate": 0.4, "ordersPerCustomer": 1.8, "averageOrderValue": 90,
                 "variableCostRate": 0.7, "marketingCostPerCustomer": 20 }, ... ] }
Example:
  $ retain clv cohort --config cohort.json --json`,
    )
    .action((opts: { config: string; json?: boolean }) => {
      let config: CohortConfig;
      try {
        config = JSON.parse(readFileSync(opts.config, 'utf8')) as CohortConfig;
      } catch (error) {
        throw new UserError(`${opts.config}: cannot read the cohort config (${(error as Error).message})`);
      }
      let rows;
      try {
        rows = cohortValueTable(config);
      } catch (error) {
        throw new UserError(`${opts.config}: ${(error as Error).message}`);
      }
      if (opts.json) return printJson({ config, rows });
      const r2 = (v: number) => Math.round(v * 100) / 100;
      process.stdout.write(
        formatTable(
          [
            'year',
            'retention',
            'customers',
            'orders/cust',
            'AOV',
            'revenue',
            'var. costs',
            'mkt cost',
            'acq. cost',
            'gross profit',
            'disc. factor',
            'NPV profit',
            'cum. NPV',
            'LTV/customer',
          ],
          rows.map((r) => [
            r.year,
            r.retentionRate,
            r2(r.customers),
            r.ordersPerCustomer,
            r.averageOrderValue,
            r2(r.revenue),
            r2(r.variableCosts),
            r2(r.marketingCost),
            r2(r.acquisitionCost),
            r2(r.grossProfit),
            Math.round(r.discountFactor * 10000) / 10000,
            r2(r.npvProfit),
            r2(r.cumulativeNpv),
            r2(r.lifetimeValuePerCustomer),
          ]),
        ) + '\n',
      );
    });

  clv
    .command('lifespan')
    .description('customer-base lifespan T = N / M and customer equity (DOMAIN 4.2)')
    .requiredOption('--customers <n>', 'customers in the base, N')
    .requiredOption('--lost <m>', 'customers lost per year, M')
    .option('--clv <value>', 'average CLV per customer, for customer equity = N x CLV')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ retain clv lifespan --customers 10000 --lost 2500 --clv 310 --json',
    )
    .action((opts: { customers: string; lost: string; clv?: string; json?: boolean }) => {
      const customers = requiredNumber('--customers', opts.customers, { min: 0 });
      const lost = requiredNumber('--lost', opts.lost, { min: 0 });
      if (lost === 0) throw new UserError('--lost must be > 0');
      const clvPer = numberOption('--clv', opts.clv);
      const result = {
        customers,
        lostPerYear: lost,
        lifespanYears: customerBaseLifespan(customers, lost),
        ...(clvPer === undefined ? {} : { clvPerCustomer: clvPer, customerEquity: customers * clvPer }),
      };
      if (opts.json) return printJson(result);
      process.stdout.write(
        `lifespan ${result.lifespanYears.toFixed(2)} years${clvPer === undefined ? '' : `, customer equity ${(customers * clvPer).toFixed(2)}`}\n`,
      );
    });
}
