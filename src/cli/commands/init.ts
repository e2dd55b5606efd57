import type { Command } from 'commander';
import { withWorkspace } from '../context.js';
import { printJson } from '../output.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the workspace file (or upgrade its schema)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ retain init\n  $ retain --db shop.duckdb init --json')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, async (engine) => {
        const version = await engine.schemaVersion();
        const result = { workspace: engine.location, engine: engine.kind, schemaVersion: version };
        if (opts.json) printJson(result);
        else process.stdout.write(`workspace ${engine.location} ready (schema version ${version})\n`);
      });
    });
}
