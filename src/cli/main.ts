#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UserError } from '../util/errors.js';
import { registerInit } from './commands/init.js';
import { registerInfo } from './commands/info.js';
import { registerImport } from './commands/import.js';
import { registerDemo } from './commands/demo.js';
import { registerClv } from './commands/clv.js';
import { registerRfm } from './commands/rfm.js';
import { registerSegment } from './commands/segment.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerAlerts } from './commands/alerts.js';
import { registerChurn } from './commands/churn.js';
import { registerSurvival } from './commands/survival.js';
import { registerPlan } from './commands/plan.js';
import { registerCampaign } from './commands/campaign.js';
import { registerSurvey } from './commands/survey.js';
import { registerReport } from './commands/report.js';
import { registerReasons } from './commands/reasons.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerCustomers } from './commands/customers.js';

/** Exit codes: 0 ok, 1 user error (message on stderr), 2 internal error. */
export function buildProgram(): Command {
  const program = new Command('retain')
    .description('Retain: customer churn management and customer lifetime value')
    .version('0.1.0')
    .option('--db <path>', 'workspace file (default: $RETAIN_DB or ./retain.duckdb)')
    .option('--engine <kind>', 'duckdb (embedded, default) or clickhouse (default: $RETAIN_ENGINE)')
    .option(
      '--url <urls>',
      'ClickHouse HTTP URL, e.g. http://host:8123; on a cluster optionally every shard, comma-separated (default: $RETAIN_CLICKHOUSE_URL)',
    )
    .option('--database <name>', 'ClickHouse database (default: $RETAIN_CLICKHOUSE_DATABASE or retain)')
    .option('--cluster <name>', 'ClickHouse cluster to shard over (default: $RETAIN_CLICKHOUSE_CLUSTER)')
    .option(
      '--workspace-config <file>',
      'workspace config file, JSON or YAML: engine, url, database, cluster, db (default: $RETAIN_CONFIG)',
    )
    .addHelpText(
      'after',
      `
ClickHouse credentials come from RETAIN_CLICKHOUSE_USER and RETAIN_CLICKHOUSE_PASSWORD (never options).`,
    )
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerInfo(program);
  registerImport(program);
  registerDemo(program);
  registerClv(program);
  registerRfm(program);
  registerSegment(program);
  registerLifecycle(program);
  registerAlerts(program);
  registerChurn(program);
  registerSurvival(program);
  registerPlan(program);
  registerCampaign(program);
  registerSurvey(program);
  registerReport(program);
  registerReasons(program);
  registerServe(program);
  registerToken(program);
  registerCustomers(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version "errors" are normal exits
      return error.exitCode === 0 ? 0 : 1;
    }
    if (error instanceof UserError) {
      process.stderr.write(`retain: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `retain: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}

// `retain ... | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
