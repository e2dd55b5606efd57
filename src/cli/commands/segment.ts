import type { Command } from 'commander';
import { SEGMENTATIONS, valueSegmentation } from '../../analysis/segments/value-segmentation.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { choiceOption, numberListOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

interface SegmentCliOptions {
  asOf?: string;
  windowDays?: string;
  by?: string;
  a?: string;
  b?: string;
  currentThreshold?: string;
  potentialThreshold?: string;
  highShare?: string;
  amounts?: string;
  frequencyThreshold?: string;
  aovThreshold?: string;
  out?: string;
  json?: boolean;
}

export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description(
      'value segmentation: value quadrants, ABC, profit tiers, telecom tiers, frequency x order value',
    )
    .argument('<segmentation>', SEGMENTATIONS.join(' | '))
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: last transaction day)')
    .option('--window-days <n>', 'current value = the last N days (default 365)')
    .option('--by <measure>', 'abc: revenue (default) or profit')
    .option('--a <share>', 'abc: cumulative share that closes class A (default 0.8)')
    .option('--b <share>', 'abc: cumulative share that closes class B (default 0.95)')
    .option('--current-threshold <amount>', 'value: high current value from this amount (default: median)')
    .option(
      '--potential-threshold <amount>',
      'value: high potential value from this amount (default: median)',
    )
    .option('--high-share <share>', 'tiers: share of profitable customers in the high tier (default 0.2)')
    .option(
      '--amounts <list>',
      'telecom: five monthly-revenue cut points (default: quantiles 30/55/75/90/97 %)',
    )
    .option(
      '--frequency-threshold <n>',
      'frequency-aov: high frequency from this many purchase days (default: median)',
    )
    .option('--aov-threshold <amount>', 'frequency-aov: high order value from this amount (default: median)')
    .option('--out <file>', 'write the list of customers with their group and measures as CSV')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Groups: value  I lead (low current, low potential), II iron (low, high), III silver (high, low), IV gold (high, high);
        abc    A, B, C (with the cumulative curve); tiers  high (MVC), low, negative (BZC), plus MGC flags;
        telecom low, medium, high, silver, gold, platinum; frequency-aov  four quadrants and "no purchases".
Potential value is the next year's predicted CLV when a model is fitted (retain clv fit), else the 90-day run rate.
Examples:
  $ retain segment abc --by profit --json
  $ retain segment value --out value-quadrants.csv
  $ retain segment telecom --amounts 20,40,60,90,150`,
    )
    .action(async (segmentation: string, opts: SegmentCliOptions, cmd: Command) => {
      const kind = choiceOption('segmentation', segmentation, SEGMENTATIONS);
      const options = {
        ...(opts.asOf ? { asOf: opts.asOf } : {}),
        ...(opts.windowDays
          ? { windowDays: numberOption('--window-days', opts.windowDays, { min: 1, integer: true })! }
          : {}),
        ...(opts.by ? { by: choiceOption('--by', opts.by, ['revenue', 'profit'] as const) } : {}),
        ...(opts.a ? { a: numberOption('--a', opts.a, { min: 0, max: 1 })! } : {}),
        ...(opts.b ? { b: numberOption('--b', opts.b, { min: 0, max: 1 })! } : {}),
        ...(opts.currentThreshold
          ? { currentThreshold: numberOption('--current-threshold', opts.currentThreshold)! }
          : {}),
        ...(opts.potentialThreshold
          ? { potentialThreshold: numberOption('--potential-threshold', opts.potentialThreshold)! }
          : {}),
        ...(opts.highShare
          ? { highShare: numberOption('--high-share', opts.highShare, { min: 0.001, max: 1 })! }
          : {}),
        ...(opts.amounts ? { telecomAmounts: numberListOption('--amounts', opts.amounts)! } : {}),
        ...(opts.frequencyThreshold
          ? { frequencyThreshold: numberOption('--frequency-threshold', opts.frequencyThreshold)! }
          : {}),
        ...(opts.aovThreshold ? { aovThreshold: numberOption('--aov-threshold', opts.aovThreshold)! } : {}),
      };
      await withWorkspace(cmd, async (engine) => {
        let result;
        try {
          result = await valueSegmentation(engine, kind, options);
        } catch (error) {
          // invalid thresholds reach the pure functions as RangeErrors: they are the user's to fix
          if (error instanceof RangeError) throw new UserError(error.message);
          throw error;
        }
        const c = result.perCustomer;
        if (opts.out)
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            group: c.group,
            ...c.measures,
            ...Object.fromEntries(
              Object.entries(c.flags ?? {}).map(([k, v]) => [k, v.map((b) => (b ? '1' : '0'))]),
            ),
          });
        const { perCustomer: _omit, ...summary } = result;
        if (opts.json) return printJson({ ...summary, out: opts.out ?? null });
        process.stdout.write(
          `${kind} segmentation as of ${result.asOf} (current value: the last ${result.windowDays} days), ${result.customers} customers\n\n` +
            formatTable(
              ['group', 'customers', 'share', 'revenue', 'revenue share', 'profit'],
              result.groups.map((g) => [
                g.group,
                g.customers,
                `${(100 * g.customerShare).toFixed(1)}%`,
                Math.round(g.revenue),
                `${(100 * g.revenueShare).toFixed(1)}%`,
                Math.round(g.profit),
              ]),
            ) +
            '\n' +
            result.notes.map((n) => `note: ${n}\n`).join(''),
        );
      });
    });
}
