import { lifecycleFlows } from '../../analysis/lifecycle/lifecycle-flows.js';
import type { Command } from 'commander';
import {
  explainCustomer,
  lifecycleAnalysis,
  monthEnds,
} from '../../analysis/lifecycle/lifecycle-analysis.js';
import { DEFAULT_PLAYBOOK, readPlaybook } from '../../analysis/lifecycle/playbook.js';
import { readLifecycleRules } from '../../analysis/lifecycle/rules.js';
import { readRulesFile } from '../../analysis/alerts/rules-file.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../../analysis/alerts/rules.js';
import {
  DEFAULT_LIFECYCLE_RULES,
  LIFECYCLE_MODELS,
  type LifecycleModel,
} from '../../engine/lifecycle-types.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { choiceOption } from '../options.js';
import { formatTable, printJson } from '../output.js';
import { terminalProgress } from '../progress-bar.js';

interface LifecycleCliOptions {
  asOf?: string;
  model?: string;
  rules?: string;
  playbook?: string;
  alertRules?: string;
  explain?: string;
  out?: string;
  showRules?: boolean;
  json?: boolean;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function registerLifecycle(program: Command): void {
  const lifecycle = program
    .command('lifecycle')
    .description(
      'lifecycle stage of every customer, the pattern mix of ended relationships, recommended actions',
    )
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: last transaction day)')
    .option('--model <model>', `${LIFECYCLE_MODELS.join(' | ')} (default states)`)
    .option('--rules <file>', 'JSON of lifecycle settings to change (see --show-rules)')
    .option('--playbook <file>', 'JSON playbook: stage -> { high | medium | low | * -> action }')
    .option(
      '--alert-rules <file>',
      'early-warning rules behind "decline at an orange/red alert" (default: built-in)',
    )
    .option('--explain <customer>', 'say which rule placed this customer, with the numbers')
    .option('--out <file>', 'write every customer with stage, rule, numbers, value tier and action as CSV')
    .option('--show-rules', 'print the rules and playbook in force and exit')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Models: states (prospect, new, active, dormant, lost, reactivated); four-stage (exploration, formation,
stability, decline); five-stage (acquisition, build-up, maturity, decline, exit).
Examples:
  $ retain lifecycle --json
  $ retain lifecycle --model five-stage --as-of 2025-06-30 --out stages.csv
  $ retain lifecycle --explain C0000042
  $ retain lifecycle history --from 2024-01 --to 2025-12
  $ retain lifecycle transitions --from 2025-06-30 --to 2025-12-31 --model states
  $ retain lifecycle flows --model four-stage --json`,
    )
    .action(async (opts: LifecycleCliOptions, cmd: Command) => {
      const rules = opts.rules ? readLifecycleRules(opts.rules) : DEFAULT_LIFECYCLE_RULES;
      const playbook = opts.playbook ? readPlaybook(opts.playbook) : DEFAULT_PLAYBOOK;
      if (opts.showRules) {
        if (opts.json) return printJson({ rules, playbook });
        process.stdout.write(
          formatTable(['setting', 'value'], Object.entries(rules)) +
            '\n\n' +
            formatTable(
              ['stage', 'tier', 'action'],
              Object.entries(playbook).flatMap(([stage, tiers]) =>
                Object.entries(tiers).map(([t, a]) => [stage, t, a]),
              ),
            ) +
            '\n',
        );
        return;
      }
      const model = choiceOption('--model', opts.model, LIFECYCLE_MODELS, 'states') as LifecycleModel;
      await withWorkspace(cmd, async (engine) => {
        // per-customer rows only when they are printed or written: the counts alone run in SQL
        const a = await lifecycleAnalysis(engine, {
          model,
          rules,
          playbook,
          perCustomer: Boolean(opts.out || opts.explain),
          alertRules: opts.alertRules ? readRulesFile(opts.alertRules) : DEFAULT_ALERT_RULES,
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
        });
        const c = a.perCustomer;
        if (opts.out && c)
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            stage: c.stage,
            rule: c.rule,
            recency: c.recency,
            tenure: c.tenure,
            purchases: c.purchases,
            spend_recent: c.spendRecent,
            spend_previous: c.spendPrevious,
            trend: c.trend,
            pattern: c.pattern,
            alert_level: c.alertLevel,
            value_tier: c.valueTier,
            action: c.action,
          });
        let explained: string | null = null;
        if (opts.explain && c) {
          const i = c.customerIds.indexOf(opts.explain);
          if (i < 0) throw new UserError(`no customer "${opts.explain}" in the workspace`);
          explained = explainCustomer(a, i);
        }
        const { perCustomer: _omit, ...summary } = a;
        if (opts.json)
          return printJson({
            ...summary,
            out: opts.out ?? null,
            ...(explained ? { explanation: explained } : {}),
          });
        if (explained) {
          process.stdout.write(explained + '\n');
          return;
        }
        process.stdout.write(
          `${a.model} as of ${a.asOf}, ${a.customers} customers\n\n` +
            formatTable(
              ['stage', 'customers', 'share'],
              a.stages.map((s) => [s.stage, s.customers, pct(s.share)]),
            ) +
            '\n\nended relationships (lost customers) by pattern: ' +
            a.patterns.map((p) => `${p.pattern} ${p.customers} (${pct(p.share)})`).join(', ') +
            '\n',
        );
      });
    });

  lifecycle
    .command('history')
    .description(
      "record every customer's month-end stages in the workspace and print the stage mix over time",
    )
    .requiredOption('--from <YYYY-MM>', 'first month')
    .requiredOption('--to <YYYY-MM>', 'last month')
    .option('--model <model>', `mix to print: ${LIFECYCLE_MODELS.join(' | ')} (all three are recorded)`)
    .option('--rules <file>', 'JSON of lifecycle settings to change')
    .option('--alert-rules <file>', 'early-warning rules behind "decline at an orange/red alert"')
    .option('--json', 'print the mix as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      // options the parent `lifecycle` also declares (--model, --rules, --json) are parsed onto it
      const opts = cmd.optsWithGlobals<{
        from: string;
        to: string;
        model?: string;
        rules?: string;
        alertRules?: string;
        json?: boolean;
      }>();
      const months = monthEnds(opts.from, opts.to);
      const model = choiceOption('--model', opts.model, LIFECYCLE_MODELS, 'states') as LifecycleModel;
      const rules = opts.rules ? readLifecycleRules(opts.rules) : DEFAULT_LIFECYCLE_RULES;
      await withWorkspace(cmd, async (engine) => {
        const progress = terminalProgress();
        const alerts = customerAlertSpec(
          opts.alertRules ? readRulesFile(opts.alertRules) : DEFAULT_ALERT_RULES,
        );
        const rows = await engine.recordLifecycleHistory(months, { rules, alerts }, (done) =>
          progress({ phase: 'month ends', done, total: months.length, unit: 'months' }),
        );
        const mix = (await engine.lifecycleMix(model)).filter((m) => months.includes(m.monthEnd));
        if (opts.json) return printJson({ model, months, rowsKept: rows, mix });
        const stages = [...new Set(mix.map((m) => m.stage))].sort();
        process.stdout.write(
          formatTable(
            ['month end', ...stages],
            months.map((m) => [
              m,
              ...stages.map((s) => mix.find((x) => x.monthEnd === m && x.stage === s)?.customers ?? 0),
            ]),
          ) + '\n',
        );
      });
    });

  lifecycle
    .command('flows')
    .description('customers moving between stages from each recorded month end to the next')
    .option('--model <model>', `${LIFECYCLE_MODELS.join(' | ')} (default states)`)
    .option('--json', 'print as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ model?: string; json?: boolean }>();
      const model = choiceOption('--model', opts.model, LIFECYCLE_MODELS, 'states') as LifecycleModel;
      await withWorkspace(cmd, async (engine) => {
        const { flows } = await lifecycleFlows(engine, model);
        if (opts.json) return printJson({ model, flows });
        process.stdout.write(
          formatTable(
            ['from', 'to', 'moves (stage -> stage: customers)'],
            flows.map((f) => [
              f.from,
              f.to,
              f.moves.map((m) => `${m.from} -> ${m.to}: ${m.customers}`).join('; '),
            ]),
          ) + '\n',
        );
      });
    });

  lifecycle
    .command('transitions')
    .description('how many customers moved between stages from one recorded month end to another')
    .requiredOption('--from <date>', 'a recorded month end, YYYY-MM-DD')
    .requiredOption('--to <date>', 'a later recorded month end')
    .option('--model <model>', `${LIFECYCLE_MODELS.join(' | ')} (default states)`)
    .option('--json', 'print as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ from: string; to: string; model?: string; json?: boolean }>();
      const model = choiceOption('--model', opts.model, LIFECYCLE_MODELS, 'states') as LifecycleModel;
      await withWorkspace(cmd, async (engine) => {
        const transitions = await engine.lifecycleTransitions(model, opts.from, opts.to);
        if (opts.json) return printJson({ model, from: opts.from, to: opts.to, transitions });
        const froms = [...new Set(transitions.map((t) => t.from))].sort();
        const tos = [...new Set(transitions.map((t) => t.to))].sort();
        process.stdout.write(
          `${model}: rows ${opts.from}, columns ${opts.to}\n` +
            formatTable(
              ['from \\ to', ...tos],
              froms.map((f) => [
                f,
                ...tos.map((t) => transitions.find((x) => x.from === f && x.to === t)?.customers ?? 0),
              ]),
            ) +
            '\n',
        );
      });
    });
}
