import type { Command } from 'commander';
import { customerView } from '../../analysis/customers/customer-view.js';
import { CUSTOMER_SORTS, type CustomerSort } from '../../engine/customer-list-types.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { choiceOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

const fmt = (v: number | null) => (v === null ? '' : String(Math.round(v * 100) / 100));

export function registerCustomers(program: Command): void {
  const customers = program
    .command('customers')
    .description('look customers up: a page of the list, or one customer with history, scores and actions');

  customers
    .command('list')
    .description('a page of customers with revenue, lifecycle state and churn probability')
    .option('--search <text>', 'part of the customer id')
    .option('--sort <key>', `${CUSTOMER_SORTS.join(' | ')} (default id)`)
    .option('--limit <n>', 'rows (default 50)')
    .option('--offset <n>', 'rows skipped first (default 0)')
    .option('--json', 'print { total, limit, offset, customers, ... } as JSON')
    .addHelpText(
      'after',
      `
Stage is the state at the latest recorded month end (retain lifecycle history); churn probability the
stored score of the latest scoring day, shortest horizon (retain churn score).
Examples:
  $ retain customers list --sort churn --limit 20
  $ retain customers list --search 00042 --json`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{
        search?: string;
        sort?: string;
        limit?: string;
        offset?: string;
        json?: boolean;
      }>();
      const sort = choiceOption('--sort', opts.sort, CUSTOMER_SORTS, 'id') as CustomerSort;
      const limit = numberOption('--limit', opts.limit, { integer: true, min: 1 }) ?? 50;
      const offset = numberOption('--offset', opts.offset, { integer: true, min: 0 }) ?? 0;
      await withWorkspace(cmd, async (engine) => {
        const page = await engine.customerList({
          limit,
          offset,
          sort,
          ...(opts.search ? { search: opts.search } : {}),
        });
        if (opts.json) return printJson(page);
        process.stdout.write(
          formatTable(
            ['customer', 'region', 'plan', 'segment', 'revenue', 'stage', 'churn'],
            page.customers.map((c) => [
              c.customerId,
              c.region ?? '',
              c.plan ?? '',
              c.segment ?? '',
              fmt(c.revenue),
              c.stage ?? '',
              c.churnProbability === null ? '' : `${(100 * c.churnProbability).toFixed(1)}%`,
            ]),
          ) + `\n${offset + 1}-${offset + page.customers.length} of ${page.total}\n`,
        );
      });
    });

  customers
    .command('show <customer>')
    .description(
      'one customer: profile, purchase history, scores, stage, alerts, value tier, recommended action',
    )
    .option('--json', 'print the whole view as JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkspace(cmd, async (engine) => {
        const view = await customerView(engine, id);
        if (!view) throw new UserError(`no customer "${id}" in the workspace`);
        if (opts.json) return printJson(view);
        const p = view.profile;
        const t = view.transactions;
        const lines = [
          `customer ${view.customerId}${p.isStub ? ' (stub: only seen in other tables)' : ''}`,
          `  signed up ${p.signupDate ?? '-'}; region ${p.region ?? '-'}, plan ${p.plan ?? '-'}, segment ${p.segment ?? '-'}`,
          `  ${t.count} transactions, revenue ${fmt(t.revenue)}, ${t.firstPurchase ?? '-'} to ${t.lastPurchase ?? '-'}`,
        ];
        if (view.value)
          lines.push(
            `  revenue over the 365 days to ${view.value.asOf}: ${fmt(view.value.revenue365)} (value tier ${view.valueTier})`,
          );
        if (view.lifecycle)
          lines.push(
            `  at ${view.lifecycle.monthEnd}: ${view.lifecycle.state}, ${view.lifecycle.fourStage}, ${view.lifecycle.fiveStage}`,
          );
        if (view.recommendedActions) lines.push(`  recommended: ${view.recommendedActions.states}`);
        for (const s of view.churnScores)
          lines.push(
            `  churn within ${s.horizonDays} days: ${(100 * s.probability).toFixed(1)}% (${s.asOf})`,
          );
        const alert = view.alerts[0];
        if (alert) lines.push(`  alert level ${alert.level} on ${alert.asOf} (R ${alert.recency} days)`);
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}
