import type { Command } from 'commander';
import {
  REASON_FAMILIES,
  REASON_TYPES,
  addReasonCodes,
  readReasonCodesFile,
} from '../../analysis/reports/reason-codes.js';
import type { ReasonCode } from '../../data/reason-codes.js';
import { withWorkspace } from '../context.js';
import { formatTable, printJson } from '../output.js';

export function registerReasons(program: Command): void {
  const reasons = program
    .command('reasons')
    .description("the workspace's churn reason codes (code, reason, type, cause family)")
    .addHelpText(
      'after',
      `
Churn-event imports reject codes that are not in this taxonomy; add them first.
Examples:
  $ retain reasons list
  $ retain reasons add 420 --reason "moved abroad" --reason-zh 出国 --type voluntary --family natural
  $ retain reasons import codes.csv      (columns code, reason, reason_zh, type, family)`,
    );

  reasons
    .command('list')
    .description('every reason code')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, async (engine) => {
        const codes = await engine.reasonCodes();
        if (opts.json) return printJson({ codes });
        process.stdout.write(
          formatTable(
            ['code', 'reason', 'reason_zh', 'type', 'family'],
            codes.map((c) => [c.code, c.reason, c.reasonZh, c.type, c.family]),
          ) + '\n',
        );
      });
    });

  reasons
    .command('add <code>')
    .description('add a reason code (or change one with --replace)')
    .requiredOption('--reason <text>', 'the reason in English')
    .requiredOption('--type <type>', REASON_TYPES.join(' | '))
    .option('--family <family>', `${REASON_FAMILIES.join(' | ')} (default other)`)
    .option('--reason-zh <text>', 'the reason in Chinese')
    .option('--replace', 'change the code if it exists')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        code: string,
        opts: {
          reason: string;
          type: string;
          family?: string;
          reasonZh?: string;
          replace?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const c = {
          code,
          reason: opts.reason,
          reasonZh: opts.reasonZh ?? '',
          type: opts.type,
          family: opts.family ?? 'other',
        } as ReasonCode;
        await withWorkspace(cmd, async (engine) => {
          const r = await addReasonCodes(engine, [c], { replace: Boolean(opts.replace) });
          if (opts.json) return printJson({ ...r, code: c });
          process.stdout.write(`${r.replaced.length > 0 ? 'changed' : 'added'} reason code ${code}\n`);
        });
      },
    );

  reasons
    .command('import <file>')
    .description('add or change reason codes from a file (CSV with a header, or a JSON / YAML list)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const codes = await readReasonCodesFile(file);
      await withWorkspace(cmd, async (engine) => {
        const r = await addReasonCodes(engine, codes, { replace: true });
        if (opts.json) return printJson(r);
        process.stdout.write(`added ${r.added.length}, changed ${r.replaced.length} reason code(s)\n`);
      });
    });
}
