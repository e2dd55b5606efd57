import type { Command } from 'commander';
import {
  ALERT_CHANGES,
  LOST_LEVEL,
  alertReasons,
  dealerGrades,
  runAlerts,
  type AlertsReport,
} from '../../analysis/alerts/alerts.js';
import { ALERT_RULES_SCHEMA } from '../../analysis/alerts/rules-schema.js';
import { readRulesFile, rulesToYaml } from '../../analysis/alerts/rules-file.js';
import {
  DEFAULT_ALERT_RULES,
  describeLevel,
  rulesHash,
  type AlertRules,
} from '../../analysis/alerts/rules.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

interface AlertsCliOptions {
  asOf?: string;
  rules?: string;
  out?: string;
  limit?: string;
  save?: boolean;
  groups?: boolean;
  products?: boolean;
  json?: boolean;
}

const loadRules = (file: string | undefined): AlertRules =>
  file ? readRulesFile(file) : DEFAULT_ALERT_RULES;
const pct = (v: number | null, digits = 1) =>
  v === null || !Number.isFinite(v)
    ? ''
    : `${(Math.round(v * 10 ** digits) / 10 ** digits).toFixed(digits)}%`;
const round2 = (v: number) => Math.round(v * 100) / 100;

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('early-warning alerts: customer levels (yellow / orange / red, lost) and group warnings')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: last transaction day)')
    .option('--rules <file>', 'your rules file, YAML or JSON (see `retain rules show`)')
    .option('--out <file>', 'write every customer (level, change, numbers, reasons) as CSV')
    .option('--limit <n>', 'alerts (or survey-list customers) to list, most severe first (default 20)')
    .option('--no-save', 'do not store this run in the workspace')
    .option('--no-groups', 'skip the group warnings')
    .option('--no-products', 'skip the product-level warnings')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Default rules (DOMAIN 5.3, a bank's practice): R = days since the last transaction; F and M down = the 30 days
ending with the last transaction against the monthly average of the 6 calendar months before that month.
  yellow 关注      R 0-10 days,  or F / M down > 0% and <= 30%
  orange 重点关注  R 11-30 days, or F / M down > 30% and <= 50%
  red    危机      R 31-60 days, or F / M down > 50%
  lost             R > 60 days
A customer is at the highest level any of whose conditions holds; customers without 6 months of history get
R-based levels only. Every run is stored by its as-of date; the next run says what is new, escalated, lowered,
lost, returned or cleared since the latest stored run before it.
Examples:
  $ retain alerts
  $ retain alerts --as-of 2025-06-30 --out alerts.csv --json
  $ retain rules show > rules.yaml   (edit, then)   retain alerts --rules rules.yaml
  $ retain alerts dealer --as-of 2025-12-31
  $ retain alerts history`,
    )
    .action(async (opts: AlertsCliOptions, cmd: Command) => {
      const rules = loadRules(opts.rules);
      const limit = numberOption('--limit', opts.limit, { min: 0, integer: true }) ?? 20;
      await withWorkspace(cmd, async (engine) => {
        const report = await runAlerts(engine, {
          rules,
          save: opts.save !== false,
          groups: opts.groups !== false && rules.groups.enabled,
          products: opts.products !== false && rules.products.enabled,
          list: limit,
          perCustomer: Boolean(opts.out),
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
        });
        const c = report.customers.perCustomer;
        if (opts.out && c) {
          const reasons = c.customerIds.map((_, i) =>
            c.level[i] === ''
              ? ''
              : alertReasons(
                  {
                    level: c.level[i]!,
                    fired: c.fired[i]!,
                    recency: c.recency[i]!,
                    recentCount: c.recentCount[i]!,
                    baselineMonthlyCount: c.baselineMonthlyCount[i]!,
                    frequencyDownPercent: Number.isNaN(c.frequencyDownPercent[i])
                      ? null
                      : c.frequencyDownPercent[i]!,
                    recentAmount: c.recentAmount[i]!,
                    baselineMonthlyAmount: c.baselineMonthlyAmount[i]!,
                    monetaryDownPercent: Number.isNaN(c.monetaryDownPercent[i])
                      ? null
                      : c.monetaryDownPercent[i]!,
                  },
                  rules,
                ).join('; '),
          );
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            level: c.level,
            change: c.change,
            previous_level: c.previousLevel,
            last_transaction: c.lastTransaction,
            recency: c.recency,
            full_history: c.fullHistory,
            recent_count: c.recentCount,
            baseline_monthly_count: c.baselineMonthlyCount,
            f_down_percent: c.frequencyDownPercent,
            recent_amount: c.recentAmount,
            baseline_monthly_amount: c.baselineMonthlyAmount,
            m_down_percent: c.monetaryDownPercent,
            reasons,
          });
        }
        if (opts.json) {
          const { perCustomer: _omit, ...customers } = report.customers;
          return printJson({ ...report, customers, out: opts.out ?? null });
        }
        process.stdout.write(formatReport(report, rules));
      });
    });

  alerts
    .command('dealer')
    .description(
      "a car dealer's variant: A/B/C/D grades by service visits and the 6-month-absence survey list",
    )
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: last visit day)')
    .option('--rules <file>', 'rules file whose `dealer` section sets visit kinds, grades and months')
    .option('--out <file>', 'write every customer (visits, last visit, grade, survey) as CSV')
    .option('--limit <n>', 'survey-list customers to list, longest absence first (default 20)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Visits are days with a transaction of kind \`visit\` (rules: dealer.visitKinds). Grades count visits in the 12
months up to the as-of date: A 3 or more, B 2, C 1, D none. The survey list has every customer without a visit
for 6 months (a customer who never visited: 6 months after signup or first transaction).
Examples:
  $ retain alerts dealer
  $ retain alerts dealer --as-of 2025-12-31 --out grades.csv --json`,
    )
    .action(async (_opts: AlertsCliOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<AlertsCliOptions>();
      const rules = loadRules(opts.rules);
      const limit = numberOption('--limit', opts.limit, { min: 0, integer: true }) ?? 20;
      await withWorkspace(cmd, async (engine) => {
        const result = await dealerGrades(engine, {
          rules,
          list: limit,
          perCustomer: Boolean(opts.out),
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
        });
        const c = result.perCustomer;
        if (opts.out && c)
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            grade: c.grade,
            visits: c.visits,
            last_visit: c.lastVisit,
            customer_since: c.customerSince,
            days_absent: c.daysAbsent,
            survey: c.survey,
          });
        if (opts.json) {
          const { perCustomer: _omit, ...rest } = result;
          return printJson({ ...rest, out: opts.out ?? null });
        }
        const d = rules.dealer;
        let text =
          `Service-visit grades as of ${result.asOf}: ${result.customers} customers ` +
          `(visits in the last ${d.gradeWindowMonths} months)\n\n` +
          formatTable(
            ['grade', 'visits', 'customers'],
            result.grades.map((g, i) => [
              g.grade,
              i === 0
                ? `${g.minVisits}+`
                : g.minVisits === result.grades[i - 1]!.minVisits - 1
                  ? `${g.minVisits}`
                  : `${g.minVisits}-${result.grades[i - 1]!.minVisits - 1}`,
              g.customers,
            ]),
          ) +
          `\n\nChurn-survey list (no visit for ${d.surveyAfterMonths} months): ${result.survey} customers` +
          (result.surveyNeverVisited > 0 ? ` (${result.surveyNeverVisited} never visited)` : '') +
          '\n';
        if (result.list.length > 0)
          text +=
            '\n' +
            formatTable(
              ['customer', 'grade', 'last visit', 'days absent', 'customer since'],
              result.list.map((r) => [
                r.customerId,
                r.grade,
                r.lastVisit ?? '(never)',
                r.daysAbsent,
                r.customerSince,
              ]),
            ) +
            '\n';
        process.stdout.write(text);
      });
    });

  alerts
    .command('history')
    .description('the stored alert runs, newest first')
    .option('--json', 'print the result as JSON')
    .action(async (_opts: AlertsCliOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<AlertsCliOptions>();
      await withWorkspace(cmd, async (engine) => {
        const runs = await engine.alertRuns();
        if (opts.json) return printJson(runs);
        if (runs.length === 0) {
          process.stdout.write('no stored alert runs: `retain alerts` stores one\n');
          return;
        }
        const levels = [...new Set(runs.flatMap((r) => Object.keys(r.levels)))];
        process.stdout.write(
          formatTable(
            ['as of', 'saved at', 'rules', 'customers', ...levels, 'group warnings'],
            runs.map((r) => [
              r.asOf,
              r.savedAt,
              r.rulesHash,
              r.customers,
              ...levels.map((l) => r.levels[l] ?? 0),
              r.groupAlerts,
            ]),
          ) + '\n',
        );
      });
    });

  const rulesCommand = program.command('rules').description('the early-warning rules of `retain alerts`');
  rulesCommand
    .command('show')
    .description('print the rules in force (the defaults, or a rules file after checking it) as YAML or JSON')
    .option('--rules <file>', 'a rules file to check and show with the defaults filled in')
    .option('--json', 'print JSON instead of YAML')
    .addHelpText(
      'after',
      `
The output is a complete rules file: save it, edit it, and pass it to \`retain alerts --rules FILE\`.
Problems in a rules file are reported with their line and column.
Examples:
  $ retain rules show > rules.yaml
  $ retain rules show --rules rules.yaml --json`,
    )
    .action((opts: { rules?: string; json?: boolean }) => {
      const rules = loadRules(opts.rules);
      if (opts.json) return printJson(rules);
      process.stdout.write(rulesToYaml(rules));
    });
  rulesCommand
    .command('schema')
    .description('print the JSON Schema of a rules file')
    .action(() => printJson(ALERT_RULES_SCHEMA));
}

function formatReport(report: AlertsReport, rules: AlertRules): string {
  const c = report.customers;
  const lines: string[] = [];
  const hash = rulesHash(rules);
  lines.push(
    `Alerts as of ${report.asOf} (rules ${hash === rulesHash(DEFAULT_ALERT_RULES) ? 'default' : hash})` +
      (c.previous ? `, compared with the run of ${c.previous.asOf}` : '') +
      (c.saved ? '' : ' (not stored)'),
  );
  lines.push(
    `${c.customers} customers with transactions` +
      (c.withoutTransactions > 0 ? `; ${c.withoutTransactions} without (no level)` : '') +
      (c.shortHistory > 0
        ? `; ${c.shortHistory} without ${rules.baseline.months} months of history (R-based levels only)`
        : '') +
      (c.noLevel > 0 ? `; ${c.noLevel} at no level` : ''),
  );
  if (c.previous && c.previous.rulesHash !== report.rulesHash)
    lines.push(`note: the run of ${c.previous.asOf} used other rules (${c.previous.rulesHash})`);
  lines.push('');
  const label = (name: string) =>
    rules.levels.find((l) => l.name === name)?.label ?? (name === LOST_LEVEL ? '流失' : '');
  const rule = (name: string) => {
    const l = rules.levels.find((x) => x.name === name);
    return l ? describeLevel(l) : `R > ${rules.lostAfterDays} days`;
  };
  lines.push(
    formatTable(
      ['level', 'customers', 'share', 'by R', 'by F', 'by M', 'rule', ''],
      c.levels.map((l) => [
        l.level,
        l.customers,
        c.customers > 0 ? pct((100 * l.customers) / c.customers) : '',
        l.byRecency,
        l.byFrequency,
        l.byMonetary,
        rule(l.level),
        label(l.level),
      ]),
    ),
  );
  if (c.changes) {
    lines.push('');
    lines.push(
      `Since ${c.previous!.asOf}: ` +
        ALERT_CHANGES.filter((k) => k !== 'unchanged')
          .map((k) => `${c.changes![k]} ${k}`)
          .join(', ') +
        `; ${c.changes.unchanged} unchanged`,
    );
  }
  if (c.list.length > 0) {
    lines.push('');
    lines.push(`Most severe alerts (${c.list.length} listed; --limit, --out for all):`);
    lines.push(
      formatTable(
        ['customer', 'level', 'change', 'last', 'R', 'baseline/month', 'why'],
        c.list.map((r) => [
          r.customerId,
          r.level,
          r.change ?? '',
          r.lastTransaction,
          r.recency,
          round2(r.baselineMonthlyAmount),
          r.reasons.join('; '),
        ]),
      ),
    );
  }
  for (const [g, title, churn] of [
    [
      report.groups,
      'Group warnings',
      report.groups?.churnSource === 'churn_events' ? 'churn records' : 'customers turning lost',
    ],
    [
      report.products,
      'Product warnings',
      `buyers lapsing (no purchase of it for ${rules.products.lapseAfterDays} days)`,
    ],
  ] as const) {
    if (!g) continue;
    const cur = g.periods[0]!;
    const first = g.periods.at(-1)!;
    lines.push('');
    lines.push(
      `${title}: period ${cur.from}..${cur.to} against the ${g.periods.length - 1} periods from ${first.from} ` +
        `(churn from ${churn}; ` +
        `${g.groups.filter((x) => x.judged).length} of ${g.groups.length} groups large enough to judge)`,
    );
    if (g.warnings.length === 0) lines.push('none');
    else
      lines.push(
        formatTable(
          ['dimension', 'group', 'metric', 'active', 'change', 'why'],
          g.warnings.map((w) => [w.dimension, w.group, w.metric, w.active, w.change ?? '', w.reason]),
        ),
      );
    if (g.cleared.length > 0)
      lines.push(
        `cleared since ${g.previous!.asOf}: ${g.cleared.map((w) => `${w.dimension} ${w.group} ${w.metric}`).join(', ')}`,
      );
  }
  return lines.join('\n') + '\n';
}
