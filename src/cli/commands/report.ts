import type { Command } from 'commander';
import { builtinReport, builtinReports } from '../../analysis/reports/builtin.js';
import { DATASETS } from '../../analysis/reports/datasets.js';
import { reportJson, runReport, type ReportRun } from '../../analysis/reports/run-report.js';
import { readReportSpec, type ReportSpec } from '../../analysis/reports/spec.js';
import { REPORT_DIMENSIONS, type ReportDimension } from '../../engine/report-types.js';
import { REPORT_FORMATS, type ReportCell, type ReportFormat } from '../../export/report-document.js';
import { formatFromFile, writeReport } from '../../export/write-report.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { choiceOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

interface ReportCliOptions {
  from?: string;
  to?: string;
  by?: string;
  format?: string;
  output?: string;
  revenueKinds?: string;
  matchDays?: string;
  json?: boolean;
}

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--from <YYYY-MM>', 'first month (default: first month with subscriptions or churn events)')
    .option('--to <YYYY-MM>', 'last month (default: last month with subscriptions or churn events)')
    .option('--by <dimension>', `split by ${REPORT_DIMENSIONS.join(' | ')} | none`)
    .option('--format <format>', `write the report as ${REPORT_FORMATS.join(' | ')} (with --output)`)
    .option('--output <file>', 'file to write (format from --format or the extension)')
    .option(
      '--revenue-kinds <kinds>',
      'transaction kinds counted as revenue, comma-separated, or "all" (default: bill when there are bills)',
    )
    .option('--match-days <n>', 'a churn event belongs to a subscription end within n days (default 31)')
    .option('--json', 'print the report as JSON');
}

const show = (v: ReportCell, type: string): string | number => {
  if (v === null) return '';
  if (type === 'percent' && typeof v === 'number') return `${(v * 100).toFixed(2)}%`;
  if (type === 'money' && typeof v === 'number') return v.toFixed(2);
  return v;
};

function printRun(run: ReportRun, written: string | null): void {
  const d = run.document;
  let out = `${d.title} (${run.from} to ${run.to}${run.by ? `, by ${run.by}` : ''})\n`;
  for (const s of d.sections) {
    out += `\n${s.heading}\n`;
    if (s.table) {
      const cols = s.table.columns;
      const rows = [...s.table.rows, ...(s.table.totals ? [s.table.totals] : [])];
      out +=
        formatTable(
          cols.map((c) => c.label),
          rows.map((r) => cols.map((c) => show(r[c.key] ?? null, c.type))),
        ) + '\n';
    }
    for (const n of s.notes ?? []) out += `note: ${n}\n`;
  }
  if (written) out += `\nwritten: ${written}\n`;
  process.stdout.write(out);
}

async function execute(spec: ReportSpec, opts: ReportCliOptions, cmd: Command): Promise<void> {
  const by =
    opts.by === undefined
      ? undefined
      : opts.by === 'none'
        ? null
        : (choiceOption('--by', opts.by, REPORT_DIMENSIONS) as ReportDimension);
  let format: ReportFormat | null = null;
  if (opts.format !== undefined) {
    format = choiceOption('--format', opts.format, REPORT_FORMATS);
    if (opts.output === undefined) throw new UserError('--format needs --output FILE');
  } else if (opts.output !== undefined) format = formatFromFile(opts.output);
  const revenueKinds =
    opts.revenueKinds === undefined
      ? undefined
      : opts.revenueKinds === 'all'
        ? null
        : opts.revenueKinds
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean);
  const matchDays = numberOption('--match-days', opts.matchDays, { min: 0, integer: true });
  await withWorkspace(cmd, async (engine) => {
    const run = await runReport(engine, spec, {
      ...(opts.from !== undefined ? { from: opts.from } : {}),
      ...(opts.to !== undefined ? { to: opts.to } : {}),
      ...(by !== undefined ? { by } : {}),
      ...(revenueKinds !== undefined ? { revenueKinds } : {}),
      ...(matchDays !== undefined ? { matchDays } : {}),
      charts: format === 'pdf' || format === 'xlsx',
    });
    if (format !== null && opts.output !== undefined) await writeReport(run.document, format, opts.output);
    if (opts.json) return printJson({ ...(reportJson(run) as object), output: opts.output ?? null });
    printRun(run, opts.output ?? null);
  });
}

export function registerReport(program: Command): void {
  const report = program
    .command('report')
    .description('churn reports: monthly churn flow, churners and revenue lost, reasons, churn by group')
    .addHelpText(
      'after',
      `
Built-in reports: ${builtinReports()
        .map((s) => s.name)
        .join(', ')}. Each is a report definition (docs/reports.md);
\`retain report show NAME\` prints one, \`retain report run FILE\` runs your own.
Examples:
  $ retain report churn-flow --from 2025-01 --to 2025-05 --json
  $ retain report churn-flow --by region --format xlsx --output churn.xlsx
  $ retain report churners --output churners.pdf
  $ retain report reasons --format csv --output reasons.csv
  $ retain report churn-by --by tenure
  $ retain report run my-report.yaml --json`,
    );

  report
    .command('list')
    .description('the built-in reports and the datasets a definition can use')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const reports = builtinReports().map((s) => ({
        name: s.name,
        title: s.title,
        dataset: s.dataset,
        groupBy: s.groupBy ?? null,
        description: s.description ?? '',
      }));
      const datasets = Object.values(DATASETS).map((d) => ({
        name: d.name,
        dimensions: Object.keys(d.dimensions),
        measures: Object.keys(d.measures),
      }));
      if (opts.json) return printJson({ reports, datasets });
      process.stdout.write(
        formatTable(
          ['report', 'dataset', 'title'],
          reports.map((r) => [r.name, r.dataset, r.title]),
        ) + '\n',
      );
    });

  report
    .command('show <name>')
    .description('print a built-in report definition (JSON), to copy and change')
    .action((name: string) => printJson(builtinReport(name)));

  addRunOptions(
    report
      .command('run <file>')
      .description('run your own report definition (JSON or YAML, see docs/reports.md)'),
  ).action(async (file: string, opts: ReportCliOptions, cmd: Command) =>
    execute(readReportSpec(file), opts, cmd),
  );

  for (const spec of builtinReports()) {
    addRunOptions(report.command(spec.name).description(spec.title)).action(
      async (opts: ReportCliOptions, cmd: Command) => execute(spec, opts, cmd),
    );
  }
}
