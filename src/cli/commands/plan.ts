import type { Command } from 'commander';
import {
  DEFAULT_RETENTION_ACTIONS,
  DEFAULT_WINBACK_ACTION,
  actionsToYaml,
  readActionsFile,
} from '../../analysis/planning/actions.js';
import { planRetention, type RetentionPlan } from '../../analysis/planning/retention-plan.js';
import { valueRiskMatrix, type ValueRiskMatrix } from '../../analysis/planning/value-risk.js';
import { planWinback, type WinbackPlan } from '../../analysis/planning/winback-plan.js';
import { PLAN_GROUP_ATTRIBUTES, type PlanGroupAttribute } from '../../engine/planning-types.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { choiceOption, numberListOption, numberOption, requiredNumber } from '../options.js';
import { formatTable, printJson } from '../output.js';

const money = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const METHODS = ['auto', 'dp', 'greedy'] as const;

function printMatrix(m: ValueRiskMatrix): void {
  const lines = [
    `${m.customers} scored customers on ${m.asOf}; churn within ${m.horizonDays} days`,
    `probability: ${m.probabilitySource}`,
    `value: ${m.valueSource.description}`,
    `total value ${money(m.totals.value)}, expected value at risk ${money(m.totals.valueAtRisk)}, expected churners ${m.totals.expectedChurners.toFixed(1)}`,
    '',
    formatTable(
      ['risk', 'value tier', 'customers', 'value', 'value at risk'],
      m.matrix.map((c) => [c.risk, c.valueTier, c.customers, money(c.value), money(c.valueAtRisk)]),
    ),
    '',
    formatTable(
      [m.groupBy, 'customers', 'mean risk', 'value', 'value at risk'],
      m.groups.map((g) => [
        g.group,
        g.customers,
        pct(g.meanProbability),
        money(g.value),
        money(g.valueAtRisk),
      ]),
    ),
    ...m.notes.map((n) => `note: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function printRetention(p: RetentionPlan): void {
  const lines = [
    `retention plan${p.planId ? ` ${p.planId}` : ''} for ${p.asOf} (churn within ${p.horizonDays} days), budget ${money(p.budget)}`,
    `probability: ${p.probabilitySource}`,
    `value: ${p.valueSource.description}`,
    `contact ${p.contacted} of ${p.customers} customers for ${money(p.spent)}: expected ${p.expectedSavedCustomers.toFixed(1)} customers and ${money(p.expectedSavedValue)} saved, net ${money(p.expectedNet)} (${p.method === 'dp' ? 'exact' : `greedy, best possible at most ${money(p.upperBound)}`})`,
    `let go ${p.letGo.customers} (retention would not pay; ${money(p.letGo.valueAtStake)} at stake); ${p.notFunded.customers} more would pay but the budget went to better uses`,
    '',
    formatTable(
      ['action', 'customers', 'cost', 'expected saved', 'net'],
      p.byAction.map((a) => [
        a.action,
        a.customers,
        money(a.cost),
        money(a.expectedSavedValue),
        money(a.expectedNet),
      ]),
    ),
    '',
  ];
  if (p.contacts.length > 0)
    lines.push(
      formatTable(
        ['customer', 'action', 'risk', 'value', 'cost', 'net', 'why'],
        p.contacts.map((c) => [
          c.customerId,
          c.action,
          pct(c.probability),
          money(c.value),
          money(c.cost),
          money(c.net),
          c.reason,
        ]),
      ),
      '',
    );
  if (p.letGo.list.length > 0)
    lines.push(
      'let go (most value at stake first):',
      formatTable(
        ['customer', 'risk', 'value', 'at stake', 'why'],
        p.letGo.list.map((c) => [
          c.customerId,
          pct(c.probability),
          money(c.value),
          money(c.valueAtStake),
          c.reason,
        ]),
      ),
    );
  lines.push(...p.notes.map((n) => `note: ${n}`));
  process.stdout.write(lines.join('\n') + '\n');
}

function printWinback(p: WinbackPlan): void {
  const lines = [
    `win-back plan${p.planId ? ` ${p.planId}` : ''} on ${p.asOf}, budget ${money(p.budget)}: ${p.leavers} leavers (${p.returned} returned, ${p.excluded} not contactable)`,
    `success rate ${pct(p.overallRate.mean)} (${p.overallRate.source}: ${p.overallRate.successes} of ${p.overallRate.attempts} recorded attempts; 90% interval ${pct(p.overallRate.lower)}-${pct(p.overallRate.upper)})`,
    ...p.rates.map((r) => `  reason ${r.reasonCode}: ${pct(r.mean)} (${r.successes} of ${r.attempts})`),
    `contact ${p.contacted} for ${money(p.spent)}: expected ${p.expectedReturns.toFixed(1)} returns worth ${money(p.expectedValue)}, net ${money(p.expectedNet)}; let go ${p.letGo.customers}; ${p.notFunded} more would pay but the budget went to better uses`,
    '',
  ];
  if (p.contacts.length > 0)
    lines.push(
      formatTable(
        ['customer', 'left', 'reason', 'attempts', 'value', 'rate', 'net', 'contact'],
        p.contacts.map((c) => [
          c.customerId,
          c.churnDate,
          c.reason ?? c.reasonCode ?? '',
          c.attempts,
          money(c.value),
          pct(c.successRate),
          money(c.net),
          [c.phone, c.email].filter(Boolean).join(' '),
        ]),
      ),
      '',
    );
  if (p.letGo.list.length > 0)
    lines.push(
      'let go (highest value first):',
      formatTable(
        ['customer', 'value', 'why'],
        p.letGo.list.map((c) => [c.customerId, money(c.value), c.reasonText]),
      ),
    );
  lines.push(...p.notes.map((n) => `note: ${n}`));
  process.stdout.write(lines.join('\n') + '\n');
}

interface PlanCliOptions {
  budget?: string;
  actions?: string;
  horizon?: string;
  asOf?: string;
  method?: string;
  by?: string;
  runRate?: boolean;
  limit?: string;
  out?: string;
  save?: boolean;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  const plan = program
    .command('plan')
    .description('retention and win-back planning: value at risk, whom to contact with what, whom to let go');

  plan
    .command('matrix')
    .description('value x risk: churn probability x value per customer, by risk band, value tier and group')
    .option('--horizon <days>', 'churn horizon of the stored scores (default 90)')
    .option('--as-of <date>', 'day of the stored scores (default: the latest)')
    .option('--by <attribute>', `${PLAN_GROUP_ATTRIBUTES.join(' | ')} (default segment)`)
    .option('--risk-bands <p1,p2>', 'probability cut points low/medium/high (default 0.1,0.3)')
    .option('--run-rate', 'value = the 90-day run rate even when a CLV model is fitted')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Needs stored churn scores (\`retain churn score --model FILE\`). Value: one-year CLV from the newest fitted
CLV model, else the 90-day run rate (the output says which).

Examples:
  $ retain plan matrix --json
  $ retain plan matrix --horizon 180 --by plan --risk-bands 0.05,0.2`,
    )
    .action(async (opts: PlanCliOptions & { riskBands?: string }, cmd: Command) => {
      const bands = numberListOption('--risk-bands', opts.riskBands);
      if (bands && bands.length !== 2)
        throw new UserError('--risk-bands takes two probabilities, e.g. 0.1,0.3');
      await withWorkspace(cmd, async (engine) => {
        const m = await valueRiskMatrix(engine, {
          horizonDays: numberOption('--horizon', opts.horizon, { integer: true, min: 1 }) ?? 90,
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
          ...(opts.by
            ? { groupBy: choiceOption('--by', opts.by, PLAN_GROUP_ATTRIBUTES) as PlanGroupAttribute }
            : {}),
          ...(bands ? { riskBands: [bands[0]!, bands[1]!] as const } : {}),
          runRateOnly: Boolean(opts.runRate),
        });
        if (opts.json) return printJson(m);
        printMatrix(m);
      });
    });

  plan
    .command('retention')
    .description('choose whom to contact with which action under a budget; the rest are let go')
    .requiredOption('--budget <amount>', 'the most to spend')
    .option(
      '--actions <file>',
      'actions with cost and save rate (YAML or JSON; `retain plan actions` prints the defaults)',
    )
    .option('--horizon <days>', 'churn horizon of the stored scores (default 90)')
    .option('--as-of <date>', 'day of the stored scores (default: the latest)')
    .option(
      '--method <m>',
      `${METHODS.join(' | ')}: exact dynamic programme, greedy with a bound (default auto)`,
    )
    .option('--run-rate', 'value = the 90-day run rate even when a CLV model is fitted')
    .option('--limit <n>', 'contacted and let-go customers to list (default 20)')
    .option('--out <file>', 'write every customer with decision, action, cost, value and reason as CSV')
    .option('--no-save', 'do not store the plan (stored plans feed `retain campaign create`)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Each action on a customer costs cost + costShare x value and saves churn probability x saveRate x value;
an action is only considered when it pays and costs no more than the value at stake. At most one action
per customer; the expected saved value net of cost is maximised within the budget.

Examples:
  $ retain plan retention --budget 10000 --json
  $ retain plan actions > actions.yaml && retain plan retention --budget 5000 --actions actions.yaml --out plan.csv`,
    )
    .action(async (opts: PlanCliOptions, cmd: Command) => {
      const budget = requiredNumber('--budget', opts.budget, { min: 0 });
      const actions = opts.actions ? readActionsFile(opts.actions) : undefined;
      await withWorkspace(cmd, async (engine) => {
        const p = await planRetention(engine, {
          budget,
          ...(actions ? { actions } : {}),
          horizonDays: numberOption('--horizon', opts.horizon, { integer: true, min: 1 }) ?? 90,
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
          method: choiceOption('--method', opts.method, METHODS, 'auto'),
          runRateOnly: Boolean(opts.runRate),
          list: numberOption('--limit', opts.limit, { integer: true, min: 0 }) ?? 20,
          save: opts.save !== false,
          perCustomer: Boolean(opts.out),
        });
        if (opts.out && p.perCustomer) {
          const c = p.perCustomer;
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            decision: c.decision,
            action: c.action,
            cost: c.cost,
            probability: c.probability,
            value: c.value,
            value_at_stake: c.valueAtStake,
            expected_saved: c.expectedSaved,
            net: c.net,
            reason: c.reason,
          });
        }
        const { perCustomer: _omit, ...rest } = p;
        if (opts.json) return printJson({ ...rest, out: opts.out ?? null });
        printRetention(p);
      });
    });

  plan
    .command('winback')
    .description('rank leavers by the expected value of a return and choose whom to contact under a budget')
    .requiredOption('--budget <amount>', 'the most to spend')
    .option('--cost <amount>', `cost of one attempt (default ${DEFAULT_WINBACK_ACTION.cost})`)
    .option(
      '--prior-rate <p>',
      `success rate before any recorded attempt (default ${DEFAULT_WINBACK_ACTION.saveRate}, DOMAIN 1)`,
    )
    .option('--prior-strength <n>', 'weight of the prior rate in attempts (default 8)')
    .option('--min-per-reason <n>', 'attempts a reason code needs for its own rate (default 20)')
    .option('--max-attempts <n>', 'do not contact leavers with this many attempts already (default 3)')
    .option('--include-involuntary', 'also contact involuntary leavers (credit, fraud, non-use)')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: the last data day)')
    .option('--since <date>', 'only customers who left on or after this day')
    .option('--limit <n>', 'contacted and let-go leavers to list (default 20)')
    .option('--out <file>', 'write the lost-customer database with every decision as CSV')
    .option('--no-save', 'do not store the plan')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The success rate is a Beta prior centred on --prior-rate updated by recorded win-back outcomes (campaign
outcomes and imported win-back contacts), per reason code once a reason has --min-per-reason attempts.

Examples:
  $ retain plan winback --budget 2000 --json
  $ retain plan winback --budget 500 --cost 15 --since 2025-01-01 --out leavers.csv`,
    )
    .action(
      async (
        opts: PlanCliOptions & {
          cost?: string;
          priorRate?: string;
          priorStrength?: string;
          minPerReason?: string;
          maxAttempts?: string;
          includeInvoluntary?: boolean;
          since?: string;
        },
        cmd: Command,
      ) => {
        const budget = requiredNumber('--budget', opts.budget, { min: 0 });
        const action = {
          ...DEFAULT_WINBACK_ACTION,
          cost: numberOption('--cost', opts.cost, { min: 0 }) ?? DEFAULT_WINBACK_ACTION.cost,
          saveRate:
            numberOption('--prior-rate', opts.priorRate, { min: 0.001, max: 0.999 }) ??
            DEFAULT_WINBACK_ACTION.saveRate,
        };
        await withWorkspace(cmd, async (engine) => {
          const p = await planWinback(engine, {
            budget,
            action,
            ...(opts.priorStrength
              ? { priorStrength: numberOption('--prior-strength', opts.priorStrength, { min: 0.001 })! }
              : {}),
            ...(opts.minPerReason
              ? {
                  minPerReason: numberOption('--min-per-reason', opts.minPerReason, {
                    integer: true,
                    min: 1,
                  })!,
                }
              : {}),
            ...(opts.maxAttempts
              ? { maxAttempts: numberOption('--max-attempts', opts.maxAttempts, { integer: true, min: 1 })! }
              : {}),
            includeInvoluntary: Boolean(opts.includeInvoluntary),
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            ...(opts.since ? { since: opts.since } : {}),
            list: numberOption('--limit', opts.limit, { integer: true, min: 0 }) ?? 20,
            save: opts.save !== false,
          });
          if (opts.out) {
            const a = p.all;
            await writeColumnsCsv(opts.out, {
              customer_id: a.map((c) => c.customerId),
              churn_date: a.map((c) => c.churnDate),
              reason_code: a.map((c) => c.reasonCode ?? ''),
              reason: a.map((c) => c.reason ?? ''),
              email: a.map((c) => c.email ?? ''),
              phone: a.map((c) => c.phone ?? ''),
              attempts: a.map((c) => c.attempts),
              last_outcome: a.map((c) => c.lastOutcome ?? ''),
              value: a.map((c) => c.value),
              success_rate: a.map((c) => c.successRate),
              expected_value: a.map((c) => c.expectedValue),
              cost: a.map((c) => c.cost),
              net: a.map((c) => c.net),
              decision: a.map((c) => c.decision),
              why: a.map((c) => c.reasonText),
            });
          }
          const { all: _omit, ...rest } = p;
          if (opts.json) return printJson({ ...rest, out: opts.out ?? null });
          printWinback(p);
        });
      },
    );

  plan
    .command('actions')
    .description('print the default retention and win-back actions as an editable YAML file')
    .option('--json', 'print them as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json)
        return printJson({ actions: DEFAULT_RETENTION_ACTIONS, winback: DEFAULT_WINBACK_ACTION });
      process.stdout.write(actionsToYaml(DEFAULT_RETENTION_ACTIONS));
    });

  plan
    .command('list')
    .description('the stored plans, newest first, with their contacted customers, cost and saved value')
    .option('--json', 'print { plans } as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkspace(cmd, async (engine) => {
        const plans = await engine.storedPlans();
        if (opts.json) return printJson({ plans });
        if (plans.length === 0) {
          process.stdout.write('no stored plans: `retain plan retention --budget B` makes one\n');
          return;
        }
        process.stdout.write(
          formatTable(
            ['plan', 'kind', 'as of', 'budget', 'contacted', 'cost', 'expected saved'],
            plans.map((p) => [
              p.planId,
              p.kind,
              p.asOf,
              money(p.budget),
              p.contacted,
              money(p.cost),
              money(p.expectedSaved),
            ]),
          ) + '\n',
        );
      });
    });

  plan
    .command('show <plan>')
    .description(
      'one stored plan: its totals per action and a page of its customers (highest saved value first)',
    )
    .option('--limit <n>', 'customers listed (default 50)')
    .option('--offset <n>', 'customers skipped first (default 0)')
    .option('--json', 'print { plan, customers: { total, limit, offset, items } } as JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ limit?: string; offset?: string; json?: boolean }>();
      const page = {
        limit: numberOption('--limit', opts.limit, { integer: true, min: 1 }) ?? 50,
        offset: numberOption('--offset', opts.offset, { integer: true, min: 0 }) ?? 0,
      };
      await withWorkspace(cmd, async (engine) => {
        const plan = await engine.storedPlan(id);
        if (!plan) throw new UserError(`no stored plan "${id}": \`retain plan list\` shows them`);
        const customers = await engine.storedPlanItems(id, page);
        if (opts.json) return printJson({ plan, customers });
        process.stdout.write(
          `plan ${plan.planId} (${plan.kind}, as of ${plan.asOf}): ${plan.contacted} customers, cost ${money(plan.cost)}, ` +
            `expected saved ${money(plan.expectedSaved)}\n` +
            formatTable(
              ['action', 'customers', 'cost', 'expected saved'],
              plan.byAction.map((a) => [a.action, a.customers, money(a.cost), money(a.expectedSaved)]),
            ) +
            '\n\n' +
            formatTable(
              ['customer', 'action', 'cost', 'probability', 'value', 'expected saved'],
              customers.items.map((c) => [
                c.customerId,
                c.action,
                money(c.cost),
                c.probability.toFixed(3),
                money(c.value),
                money(c.expectedSaved),
              ]),
            ) +
            `\n${page.offset + 1}-${page.offset + customers.items.length} of ${customers.total}\n`,
        );
      });
    });
}
