import type { Command } from 'commander';
import {
  createCampaign,
  evaluateCampaign,
  recordCampaignOutcomes,
  type CampaignEvaluation,
  type UpliftResult,
} from '../../analysis/campaigns/campaigns.js';
import { withWorkspace } from '../context.js';
import { choiceOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '' : `${(100 * v).toFixed(1)}%`;
const num = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '' : v.toFixed(d));

function upliftRow(u: UpliftResult): unknown[] {
  return [
    u.action,
    `${u.treatment.known}/${u.treatment.members}`,
    `${u.control.known}/${u.control.members}`,
    pct(u.treatment.rate),
    pct(u.control.rate),
    u.uplift ? `${pct(u.uplift.estimate)} [${pct(u.uplift.lower)}, ${pct(u.uplift.upper)}]` : '',
    u.valueUplift
      ? `${num(u.valueUplift.estimate)} [${num(u.valueUplift.lower)}, ${num(u.valueUplift.upper)}]`
      : '',
    num(u.netValue, 0),
    pct(u.saveRate),
  ];
}

function printEvaluation(e: CampaignEvaluation): void {
  const lines = [
    `campaign ${e.campaignId} (${e.kind ?? 'kind unknown'}, ${e.source}), started ${e.startDate ?? '?'}; outcomes ${e.outcomes}`,
    `rate: ${e.methods.rate}; value: ${e.methods.value}; ${Math.round(e.level * 100)}% intervals`,
    '',
    formatTable(
      [
        'action',
        'treated known',
        'control known',
        'treated rate',
        'control rate',
        'uplift',
        'value uplift / member',
        'net value',
        'save rate',
      ],
      [e.overall, ...e.byAction].map(upliftRow),
    ),
    ...e.notes.map((n) => `note: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export function registerCampaign(program: Command): void {
  const campaign = program
    .command('campaign')
    .description(
      'retention / win-back campaigns: create from a plan with a control group, record outcomes, measure uplift',
    );

  campaign
    .command('create')
    .description('create a campaign from a stored plan, holding out a seeded random control group per action')
    .option('--plan <id>', 'stored plan id (default: the newest plan)')
    .option('--id <campaign>', 'campaign id (default CMP-<plan id>)')
    .option('--name <text>', 'campaign name')
    .option('--holdout <share>', "share of each action's customers held out as control (default 0.2)")
    .option('--seed <n>', 'seed of the holdout draw (default 42)')
    .option('--start <date>', "start day YYYY-MM-DD (default: the plan's day)")
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ retain plan retention --budget 10000 && retain campaign create --holdout 0.2 --seed 7 --json
  $ retain campaign create --plan P3 --id RET-2026-01 --start 2026-01-05`,
    )
    .action(
      async (
        opts: {
          plan?: string;
          id?: string;
          name?: string;
          holdout?: string;
          seed?: string;
          start?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await withWorkspace(cmd, async (engine) => {
          const r = await createCampaign(engine, {
            ...(opts.plan ? { planId: opts.plan } : {}),
            ...(opts.id ? { campaignId: opts.id } : {}),
            ...(opts.name ? { name: opts.name } : {}),
            ...(opts.holdout
              ? { holdout: numberOption('--holdout', opts.holdout, { min: 0, max: 0.99 })! }
              : {}),
            ...(opts.seed ? { seed: numberOption('--seed', opts.seed, { integer: true })! } : {}),
            ...(opts.start ? { startDate: opts.start } : {}),
          });
          if (opts.json) return printJson(r);
          process.stdout.write(
            `campaign ${r.campaignId} (${r.kind}) from plan ${r.planId}, starting ${r.startDate}: ${r.treatment} to contact (cost ${r.treatmentCost.toFixed(0)}), ${r.control} held out as control (seed ${r.seed})\n` +
              formatTable(
                ['action', 'treatment', 'control'],
                r.byAction.map((a) => [a.action, a.treatment, a.control]),
              ) +
              '\n',
          );
        });
      },
    );

  campaign
    .command('record')
    .description('record outcomes from a CSV file: customer_id, outcome, value, date')
    .argument('<campaign>', 'campaign id')
    .argument(
      '<file>',
      'CSV with a header: customer_id, outcome (retained/churned, won_back/lost), value, date',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Every row must be a member of the campaign; a file with any problem records nothing and the error names
the line, column and value. Recording the same file again changes nothing; a changed row updates the
member's outcome.

Example:
  $ retain campaign record CMP-P1 outcomes.csv --json`,
    )
    .action(async (id: string, file: string, opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, async (engine) => {
        const r = await recordCampaignOutcomes(engine, id, file);
        if (opts.json) return printJson(r);
        process.stdout.write(
          `${file}: ${r.rows} outcomes for ${id}: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged\n`,
        );
      });
    });

  campaign
    .command('evaluate')
    .description('measured uplift, treatment vs control: retention (win-back) rate and value, with intervals')
    .argument('<campaign>', 'campaign id')
    .option('--outcomes <source>', 'recorded | data (default: recorded when there are any, else data)')
    .option(
      '--window <days>',
      'data: days after the start in which churn / return and value count (default 90)',
    )
    .option('--level <p>', 'interval level (default 0.95)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Rate uplift: Newcombe's hybrid score interval for a difference of proportions; value uplift: Welch's t
interval. Imported campaigns (the contacts table, e.g. the demo's RET-2025-07) are evaluated from the data.

Examples:
  $ retain campaign evaluate CMP-P1 --json
  $ retain campaign evaluate RET-2025-07 --window 180`,
    )
    .action(
      async (
        id: string,
        opts: { outcomes?: string; window?: string; level?: string; json?: boolean },
        cmd: Command,
      ) => {
        await withWorkspace(cmd, async (engine) => {
          const e = await evaluateCampaign(engine, id, {
            ...(opts.outcomes
              ? { outcomes: choiceOption('--outcomes', opts.outcomes, ['recorded', 'data'] as const) }
              : {}),
            ...(opts.window
              ? { windowDays: numberOption('--window', opts.window, { integer: true, min: 1 })! }
              : {}),
            ...(opts.level ? { level: numberOption('--level', opts.level, { min: 0.5, max: 0.999 })! } : {}),
          });
          if (opts.json) return printJson(e);
          printEvaluation(e);
        });
      },
    );

  campaign
    .command('list')
    .description('every campaign, created here or imported, with its group sizes and recorded outcomes')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, async (engine) => {
        const rows = await engine.campaigns();
        if (opts.json) return printJson({ campaigns: rows });
        process.stdout.write(
          formatTable(
            ['campaign', 'kind', 'start', 'plan', 'treatment', 'control', 'outcomes', 'source', 'name'],
            rows.map((r) => [
              r.campaignId,
              r.kind ?? '',
              r.startDate ?? '',
              r.planId ?? '',
              r.treatment,
              r.control,
              r.outcomes,
              r.source,
              r.name ?? '',
            ]),
          ) + '\n',
        );
      });
    });
}
