import type { Command } from 'commander';
import { surveyList, surveySummary } from '../../analysis/planning/survey.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

const f1 = (v: number | null) => (v === null ? '' : v.toFixed(1));
const pct = (v: number | null) => (v === null ? '' : `${(100 * v).toFixed(1)}%`);

export function registerSurvey(program: Command): void {
  const survey = program
    .command('survey')
    .description('after-sales churn survey: whom to survey (absent 6 months) and what the answers say');

  survey
    .command('list')
    .description('customers without a visit for N months (default 6): the churn-survey list')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: the last data day)')
    .option('--months <n>', 'months without a visit (default 6)')
    .option('--kinds <kinds>', 'transaction kinds that count as visits, comma-separated (default visit)')
    .option('--limit <n>', 'customers to list, longest absence first (default 50)')
    .option('--out <file>', 'write every customer on the list as CSV')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Survey answers go back in as interactions: kind survey, metric = question or reason, value = rating,
note = the answer (\`retain import interactions answers.csv\`); \`retain survey summary\` sums them up.

Examples:
  $ retain survey list --as-of 2025-12-31 --json
  $ retain survey list --kinds visit,purchase --months 3 --out survey.csv`,
    )
    .action(
      async (
        opts: {
          asOf?: string;
          months?: string;
          kinds?: string;
          limit?: string;
          out?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await withWorkspace(cmd, async (engine) => {
          const r = await surveyList(engine, {
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            ...(opts.months
              ? { months: numberOption('--months', opts.months, { integer: true, min: 1 })! }
              : {}),
            ...(opts.kinds
              ? {
                  visitKinds: opts.kinds
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                }
              : {}),
            list: numberOption('--limit', opts.limit, { integer: true, min: 0 }) ?? 50,
            perCustomer: Boolean(opts.out),
          });
          if (opts.out && r.perCustomer)
            await writeColumnsCsv(opts.out, {
              customer_id: r.perCustomer.customerIds,
              days_absent: r.perCustomer.daysAbsent,
            });
          const { perCustomer: _omit, ...rest } = r;
          if (opts.json) return printJson({ ...rest, out: opts.out ?? null });
          process.stdout.write(
            `${r.toSurvey} of ${r.customers} customers have had no ${r.visitKinds.join('/')} for ${r.months} months on ${r.asOf} (${r.neverVisited} never)\n` +
              formatTable(
                ['customer', 'last visit', 'customer since', 'days absent', 'grade'],
                r.list.map((c) => [
                  c.customerId,
                  c.lastVisit ?? 'never',
                  c.customerSince,
                  c.daysAbsent,
                  c.grade,
                ]),
              ) +
              '\n',
          );
        });
      },
    );

  survey
    .command('summary')
    .description('survey answers per question: ratings, share of low ratings, NPS, the most frequent answers')
    .option('--from <date>', 'answers on or after this day')
    .option('--to <date>', 'answers on or before this day')
    .option('--low <rating>', 'ratings at or below this are low (default 6)')
    .option('--top <n>', 'answers to list per question (default 5)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ retain survey summary --json
  $ retain survey summary --from 2025-07-01 --low 4 --top 10`,
    )
    .action(
      async (
        opts: { from?: string; to?: string; low?: string; top?: string; json?: boolean },
        cmd: Command,
      ) => {
        await withWorkspace(cmd, async (engine) => {
          const s = await surveySummary(engine, {
            ...(opts.from ? { from: opts.from } : {}),
            ...(opts.to ? { to: opts.to } : {}),
            ...(opts.low ? { lowAt: numberOption('--low', opts.low)! } : {}),
            ...(opts.top ? { topAnswers: numberOption('--top', opts.top, { integer: true, min: 0 })! } : {}),
          });
          if (opts.json) return printJson(s);
          const lines = [`${s.answers} survey answers from ${s.customers} customers`];
          for (const q of s.questions) {
            lines.push(
              '',
              `${q.metric}: ${q.answers} answers, mean rating ${f1(q.meanRating)}, low ${pct(q.lowShare)}${q.nps === null ? '' : `, NPS ${q.nps.toFixed(0)}`}`,
            );
            if (q.topAnswers.length > 0)
              lines.push(
                formatTable(
                  ['answer', 'count', 'mean rating'],
                  q.topAnswers.map((a) => [a.answer, a.count, f1(a.meanRating)]),
                ),
              );
          }
          process.stdout.write(lines.join('\n') + '\n');
        });
      },
    );
}
