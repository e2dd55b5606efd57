import type { Command } from 'commander';
import { importFile } from '../../data/import.js';
import { parseMapOption } from '../../data/mapping.js';
import type { SourceFormat } from '../../data/import-types.js';
import { IMPORT_TABLES, isImportTable } from '../../data/tables.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { formatTable, printJson } from '../output.js';
import { terminalProgress } from '../progress-bar.js';

interface ImportCliOptions {
  format?: SourceFormat;
  delimiter?: string;
  header: boolean;
  map: string[];
  dateFormat?: string;
  skipInvalid?: boolean;
  rejects?: string;
  allowFuture?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(`import a file into a table (${IMPORT_TABLES.join(', ')}), all-or-nothing`)
    .argument('<table>', 'target table')
    .argument('<file>', 'CSV, TSV, whitespace-separated text, Parquet, JSON or NDJSON; optionally .gz')
    .option('--format <format>', 'csv | parquet | json | ndjson (default: from the file extension)')
    .option('--delimiter <char>', 'CSV delimiter: a character, "tab", "whitespace" or "auto"', 'auto')
    .option('--no-header', 'the file has no header line (map fields by position)')
    .option(
      '--map <field=column,...>',
      'map fields to columns by name or 1-based position (repeatable)',
      collect,
      [],
    )
    .option('--date-format <pattern>', 'auto (ISO or YYYYMMDD), iso, YYYYMMDD, or e.g. DD/MM/YYYY', 'auto')
    .option('--skip-invalid', 'load the valid rows; write rejected rows with reasons to the rejects file')
    .option('--rejects <file>', 'where --skip-invalid writes rejected rows (default: <file>.rejected.csv)')
    .option('--allow-future', 'accept dates in the future')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ retain import customers customers.csv
  $ retain import transactions orders.csv.gz --date-format DD/MM/YYYY
  $ retain import transactions CDNOW_sample.txt --no-header --delimiter whitespace \\
      --map customer_id=1,date=3,quantity=4,amount=5 --date-format YYYYMMDD
  $ retain import churn_events churn.parquet --json
  $ retain import transactions bills.csv --skip-invalid --rejects bad-rows.csv`,
    )
    .action(async (table: string, file: string, opts: ImportCliOptions, cmd: Command) => {
      if (!isImportTable(table))
        throw new UserError(`unknown table "${table}" (tables: ${IMPORT_TABLES.join(', ')})`);
      if (opts.format && !['csv', 'parquet', 'json', 'ndjson'].includes(opts.format))
        throw new UserError(`--format must be csv, parquet, json or ndjson, not "${opts.format}"`);
      await withWorkspace(cmd, async (engine) => {
        const result = await importFile(
          engine,
          {
            table,
            file,
            ...(opts.format ? { format: opts.format } : {}),
            ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
            header: opts.header,
            map: parseMapOption(opts.map),
            ...(opts.dateFormat ? { dateFormat: opts.dateFormat } : {}),
            skipInvalid: opts.skipInvalid === true,
            ...(opts.rejects ? { rejectsFile: opts.rejects } : {}),
            allowFuture: opts.allowFuture === true,
          },
          terminalProgress(),
        );
        if (opts.json) return printJson(result);
        process.stdout.write(
          `imported ${result.file} into ${result.table} in ${result.seconds.toFixed(2)} s\n\n` +
            formatTable(
              ['read', 'inserted', 'updated', 'already present', 'rejected'],
              [[result.rowsRead, result.inserted, result.updated, result.duplicates, result.rejected]],
            ) +
            '\n' +
            result.warnings.map((w) => `warning: ${w}\n`).join(''),
        );
      });
    });
}
