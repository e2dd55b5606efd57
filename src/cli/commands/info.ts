import type { Command } from 'commander';
import { withWorkspace } from '../context.js';
import { formatTable, printJson } from '../output.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show row counts and date ranges of every table in the workspace')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ retain info\n  $ RETAIN_DB=shop.duckdb retain info --json')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, async (engine) => {
        const info = await engine.info();
        if (opts.json) return printJson(info);
        process.stdout.write(
          `workspace ${info.location} (${info.engine}, schema version ${info.schemaVersion})\n\n`,
        );
        process.stdout.write(
          formatTable(
            ['table', 'rows', 'from', 'to'],
            info.tables.map((t) => [t.table, t.rows, t.from ?? '', t.to ?? '']),
          ) + '\n',
        );
        if (info.stubCustomers > 0)
          process.stdout.write(
            `\n${info.stubCustomers} stub customer(s) created by imports of other tables\n`,
          );
      });
    });
}
