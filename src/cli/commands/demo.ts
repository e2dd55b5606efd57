import type { Command } from 'commander';
import {
  DEMO_DEFAULTS,
  MAX_DEMO_CUSTOMERS,
  generateDemo,
  resolveDemoOptions,
  type DemoOptions,
} from '../../demo/index.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { formatTable, printJson } from '../output.js';
import { terminalProgress } from '../progress-bar.js';

interface DemoCliOptions {
  customers?: string;
  seed?: string;
  endDate?: string;
  force?: boolean;
  json?: boolean;
}

function integerOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UserError(`--${name} must be a whole number, got "${text}"`);
  return Number(text.trim());
}

/** Turn the command-line options into generator options (a bad one is a `UserError`). */
export function parseDemoOptions(opts: DemoCliOptions): DemoOptions {
  const options: DemoOptions = {
    customers: integerOption('customers', opts.customers),
    seed: integerOption('seed', opts.seed),
    endDate: opts.endDate?.trim(),
  };
  resolveDemoOptions(options);
  return options;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'replace the workspace data with generated demo data (a telecom operator with planted churn drivers)',
    )
    .option(
      '--customers <n>',
      `number of customers, 1 to ${MAX_DEMO_CUSTOMERS} (default ${DEMO_DEFAULTS.customers})`,
    )
    .option(
      '--seed <s>',
      `random seed; the same seed and size give the same data (default ${DEMO_DEFAULTS.seed})`,
    )
    .option(
      '--end-date <YYYY-MM-DD>',
      `last day of the 4 years of history (default ${DEMO_DEFAULTS.endDate})`,
    )
    .option('--force', 'replace data that came from imports too')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ retain demo',
        '  $ retain --db demo.duckdb demo --customers 1000000 --seed 7',
        '  $ retain demo --end-date 2024-06-30 --json',
        '',
        'All rows already in the workspace are removed first. A workspace holding imported data is only',
        'replaced with --force.',
      ].join('\n'),
    )
    .action(async (opts: DemoCliOptions, cmd: Command) => {
      const options = parseDemoOptions(opts);
      await withWorkspace(cmd, async (engine) => {
        const info = await engine.info();
        if (info.imports > 0 && !opts.force)
          throw new UserError(
            `workspace ${info.location} holds imported data (${info.imports} import(s)); demo would delete it. ` +
              'Use another --db, or pass --force to replace it.',
          );
        const summary = await generateDemo(engine, options, terminalProgress());
        if (opts.json) return printJson(summary);
        process.stdout.write(
          `generated ${summary.customers.toLocaleString('en-US')} demo customers (seed ${summary.seed}), ` +
            `${summary.startDate} to ${summary.endDate}, in ${summary.seconds} s\n` +
            `workspace ${engine.location}\n\n`,
        );
        process.stdout.write(
          formatTable(
            ['table', 'rows'],
            Object.entries(summary.rows).map(([table, rows]) => [table, rows]),
          ) + '\n',
        );
      });
    });
}
