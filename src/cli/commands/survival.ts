import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { cohortAnalysis, type CohortReport } from '../../analysis/survival/cohort-analysis.js';
import { coxAnalysis, type CoxReport } from '../../analysis/survival/cox-analysis.js';
import {
  kaplanMeierAnalysis,
  kmJson,
  type KaplanMeierReport,
} from '../../analysis/survival/kaplan-meier-analysis.js';
import {
  SURVIVAL_UNITS,
  checkUnit,
  type SurvivalSource,
  type WorkspaceSource,
} from '../../analysis/survival/source.js';
import { parseEventSpec } from '../../analysis/survival/survival-table.js';
import { readTextTable } from '../../data/read-text-table.js';
import type { Engine } from '../../engine/engine.js';
import { COHORT_PERIODS, SURVIVAL_COVARIATES, SURVIVAL_GROUP_COLUMNS } from '../../engine/survival-types.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { choiceOption, numberListOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

interface SourceCliOptions {
  table?: string;
  time?: string;
  event?: string;
  unit?: string;
  asOf?: string;
  lostDays?: string;
}

interface KmCliOptions extends SourceCliOptions {
  by?: string;
  at?: string;
  confLevel?: string;
  confType?: string;
  chart?: string;
  curve?: boolean;
  json?: boolean;
}

interface CoxCliOptions extends SourceCliOptions {
  covariates?: string;
  ties?: string;
  confLevel?: string;
  json?: boolean;
}

interface CohortCliOptions {
  by?: string;
  asOf?: string;
  months?: string;
  lostDays?: string;
  chart?: string;
  json?: boolean;
}

const CONF_TYPES = ['log', 'log-log', 'plain'] as const;
const TIES = ['efron', 'breslow'] as const;

const fmt = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || Number.isNaN(v) ? 'NA' : Number(v.toPrecision(digits)).toString();
const pValue = (p: number): string => (p === 0 ? '< 1e-300' : p < 1e-4 ? p.toExponential(2) : fmt(p, 3));

/** Run `work` on a table source (--table) or on the workspace. */
async function withSource<T>(
  opts: SourceCliOptions,
  cmd: Command,
  work: (source: SurvivalSource) => Promise<T>,
): Promise<T> {
  if (opts.table !== undefined) {
    if (opts.time === undefined) throw new UserError('--time COLUMN is required with --table');
    if (opts.event === undefined) throw new UserError('--event COLUMN=VALUE is required with --table');
    for (const [name, value] of [
      ['--unit', opts.unit],
      ['--as-of', opts.asOf],
      ['--lost-days', opts.lostDays],
    ] as const) {
      if (value !== undefined) throw new UserError(`${name} applies to the workspace, not to --table`);
    }
    const event = parseEventSpec(opts.event);
    const table = await readTextTable(opts.table);
    return work({ table, time: opts.time, event });
  }
  if (opts.time !== undefined || opts.event !== undefined)
    throw new UserError('--time and --event name the columns of a --table FILE');
  const unit = checkUnit(opts.unit);
  const lostDays = numberOption('--lost-days', opts.lostDays, { min: 1, integer: true });
  return withWorkspace(cmd, (engine: Engine) => {
    const source: WorkspaceSource = {
      engine,
      unit,
      ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
      ...(lostDays === undefined ? {} : { lostDays }),
    };
    return work(source);
  });
}

function sourceOptions(command: Command): Command {
  return command
    .option('--table <file>', 'a delimited text file with a header (default: the workspace)')
    .option('--time <column>', 'with --table: the time column (numbers >= 0)')
    .option('--event <column=value>', 'with --table: the event column and the value that marks an event')
    .option(
      '--unit <unit>',
      `workspace: ${SURVIVAL_UNITS.join(' | ')} (default days; a month is 30.4375 days)`,
    )
    .option('--as-of <date>', 'workspace: inclusive YYYY-MM-DD (default: the last day of data)')
    .option('--lost-days <n>', 'workspace without subscriptions: lost after n days without a purchase (60)');
}

function sourceLine(r: { source: string; file: string | null; asOf: string | null }): string {
  return r.file ?? `workspace (${r.source}) as of ${r.asOf}`;
}

function printKm(r: KaplanMeierReport): void {
  const rows = r.groups.flatMap((g) =>
    g.survival.map((s) => [g.group, s.time, s.nRisk, fmt(s.survival), `${fmt(s.lower)} - ${fmt(s.upper)}`]),
  );
  const medians = r.groups.map((g) => [
    g.group,
    g.n,
    g.events,
    fmt(g.median),
    `${fmt(g.medianLower)} - ${fmt(g.medianUpper)}`,
  ]);
  let out =
    `Kaplan-Meier, ${sourceLine(r)}: time ${r.time}; event ${r.event}\n\n` +
    formatTable(['group', 'time', 'at risk', 'survival', `${r.confLevel * 100}% CI`], rows) +
    '\n\n' +
    formatTable(['group', 'n', 'events', 'median', `${r.confLevel * 100}% CI`], medians) +
    '\n';
  if (r.logRank)
    out += `\nlog-rank test: chi-square ${fmt(r.logRank.chisq, 6)} on ${r.logRank.df} df, p = ${pValue(r.logRank.p)}\n`;
  process.stdout.write(out);
}

/** The stable JSON shape of `retain survival cox --json`. */
export function coxJson(r: CoxReport): Record<string, unknown> {
  return { ...r };
}

function printCox(r: CoxReport): void {
  const rows = r.terms.map((name) => {
    const c = r.coefficients[name]!;
    return [
      name,
      fmt(c.coef),
      fmt(c.hr),
      fmt(c.se),
      fmt(c.z),
      pValue(c.p),
      `${fmt(c.hrLower)} - ${fmt(c.hrUpper)}`,
    ];
  });
  const t = r.tests;
  const ph = [...r.proportionalHazards.terms, r.proportionalHazards.global].map((z) => [
    z.term,
    fmt(z.chisq),
    z.df,
    pValue(z.p),
  ]);
  process.stdout.write(
    `Cox proportional hazards (${r.ties} ties), ${sourceLine(r)}: n = ${r.n}, events = ${r.events}` +
      (r.excluded > 0 ? ` (${r.excluded} rows with a missing covariate left out)` : '') +
      '\n\n' +
      formatTable(['term', 'coef', 'exp(coef)', 'se', 'z', 'p', `HR ${r.confLevel * 100}% CI`], rows) +
      `\n\nconcordance ${fmt(r.concordance)}; likelihood ratio ${fmt(t.likelihoodRatio.statistic)} on ${t.likelihoodRatio.df} df, p = ${pValue(t.likelihoodRatio.p)}; ` +
      `Wald ${fmt(t.wald.statistic)}, p = ${pValue(t.wald.p)}; score ${fmt(t.score.statistic)}, p = ${pValue(t.score.p)}\n\n` +
      'proportional-hazards test (cox.zph):\n' +
      formatTable(['term', 'chisq', 'df', 'p'], ph) +
      '\n' +
      r.warnings.map((w) => `warning: ${w}\n`).join(''),
  );
}

function printCohorts(r: CohortReport): void {
  const shown = r.periods.slice(0, 25);
  process.stdout.write(
    `Retention by acquisition ${r.period} (${r.source}, as of ${r.asOf}): share still active\n\n` +
      formatTable(
        ['cohort', 'size', ...shown.map(String)],
        r.cohorts.map((c) => [
          c.cohort,
          c.size,
          ...shown.map((k) => {
            const s = c.share[k];
            return s === null || s === undefined ? '' : `${Math.round(s * 100)}%`;
          }),
        ]),
      ) +
      (shown.length < r.periods.length ? `\n(first ${shown.length} periods; --json has them all)` : '') +
      '\n',
  );
}

export function registerSurvival(program: Command): void {
  const survival = program
    .command('survival')
    .description('survival analysis: Kaplan-Meier, log-rank, Cox proportional hazards, cohort retention');

  sourceOptions(
    survival
      .command('km')
      .description('Kaplan-Meier curves by group with Greenwood intervals, medians and the log-rank test'),
  )
    .option(
      '--by <column>',
      `group column (workspace: ${SURVIVAL_GROUP_COLUMNS.join(', ')}; plan = the last subscription's plan)`,
    )
    .option('--at <times>', 'times to read the curves at, e.g. 1,12,24 (in the time unit)')
    .option('--conf-level <p>', 'confidence level of the intervals (default 0.95)')
    .option('--conf-type <type>', `${CONF_TYPES.join(' | ')} (default log, as R)`)
    .option('--chart <file.svg>', 'write the curves with their confidence bands as SVG')
    .option('--curve', 'with --json: add every point of each curve')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Matches R's survfit (Greenwood, conf.type "log"), summary(fit, times = ...), the printed medians and
survdiff. In the workspace each customer's time runs from the first subscription start to the end of the
last one (event), or to --as-of (censored); without subscriptions from the first to the last purchase.
Examples:
  $ retain survival km --table telco.csv --time tenure --event Churn=Yes --by Contract --at 12,24 --json
  $ retain survival km --by plan --unit months --at 6,12,24 --chart km.svg`,
    )
    .action(async (opts: KmCliOptions, cmd: Command) => {
      const at = numberListOption('--at', opts.at);
      const confLevel = numberOption('--conf-level', opts.confLevel, { min: 0, max: 1 });
      const confType = choiceOption('--conf-type', opts.confType, CONF_TYPES, 'log');
      await withSource(opts, cmd, async (source) => {
        const r = await kaplanMeierAnalysis(source, {
          by: opts.by ?? null,
          confType,
          ...(at === undefined ? {} : { at }),
          ...(confLevel === undefined ? {} : { confLevel }),
        });
        if (opts.chart) {
          const { kaplanMeierChartSvg } = await import('../../charts/survival-charts.js');
          writeFileSync(opts.chart, kaplanMeierChartSvg(r));
        }
        if (opts.json) return printJson({ ...kmJson(r, opts.curve), chart: opts.chart ?? null });
        printKm(r);
        if (opts.chart) process.stdout.write(`chart: ${opts.chart}\n`);
      });
    });

  sourceOptions(
    survival
      .command('cox')
      .description('Cox proportional-hazards model with hazard ratios, concordance and the PH test'),
  )
    .option('--covariates <list>', `comma-separated columns (workspace: ${SURVIVAL_COVARIATES.join(', ')})`)
    .option('--ties <method>', `${TIES.join(' | ')} (default efron, as R)`)
    .option('--conf-level <p>', 'confidence level of the hazard-ratio intervals (default 0.95)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Matches R's coxph (Efron ties) and cox.zph. Text covariates are dummy-coded against their first level in
sorted order (dummies named column + level, e.g. "ContractOne year"); rows with a missing covariate are
left out and counted.
Examples:
  $ retain survival cox --table telco.csv --time tenure --event Churn=Yes --covariates MonthlyCharges,SeniorCitizen,Contract --json
  $ retain survival cox --covariates plan,region,monthly_fee,age --unit months`,
    )
    .action(async (opts: CoxCliOptions, cmd: Command) => {
      if (opts.covariates === undefined) throw new UserError('--covariates A,B,C is required');
      const covariates = opts.covariates
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const ties = choiceOption('--ties', opts.ties, TIES, 'efron');
      const confLevel = numberOption('--conf-level', opts.confLevel, { min: 0, max: 1 });
      await withSource(opts, cmd, async (source) => {
        const r = await coxAnalysis(source, {
          covariates,
          ties,
          ...(confLevel === undefined ? {} : { confLevel }),
        });
        if (opts.json) return printJson(coxJson(r));
        printCox(r);
      });
    });

  survival
    .command('cohorts')
    .description('retention matrix: acquisition cohort x months since, share still active')
    .option('--by <period>', `cohort period: ${COHORT_PERIODS.join(' | ')} (default month)`)
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: the last day of data)')
    .option('--months <n>', 'show periods since acquisition 0..n only')
    .option('--lost-days <n>', 'without subscriptions: lost after n days without a purchase (60)')
    .option('--chart <file.svg>', 'write the matrix as a heatmap (SVG)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Cohort = the month of the first subscription start (without subscriptions: of the first purchase). A cell
is the share of the cohort still active at the end of that month; months not yet complete are null.
Examples:
  $ retain survival cohorts --months 24 --json
  $ retain survival cohorts --by quarter --chart cohorts.svg`,
    )
    .action(async (opts: CohortCliOptions, cmd: Command) => {
      const period = choiceOption('--by', opts.by, COHORT_PERIODS, 'month');
      const maxPeriods = numberOption('--months', opts.months, { min: 0, integer: true });
      const lostDays = numberOption('--lost-days', opts.lostDays, { min: 1, integer: true });
      await withWorkspace(cmd, async (engine) => {
        const r = await cohortAnalysis(engine, {
          period,
          ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
          ...(maxPeriods === undefined ? {} : { maxPeriods }),
          ...(lostDays === undefined ? {} : { lostDays }),
        });
        if (opts.chart) {
          const { cohortHeatmapSvg } = await import('../../charts/survival-charts.js');
          writeFileSync(opts.chart, cohortHeatmapSvg(r));
        }
        if (opts.json) return printJson({ ...r, chart: opts.chart ?? null });
        printCohorts(r);
        if (opts.chart) process.stdout.write(`chart: ${opts.chart}\n`);
      });
    });
}
