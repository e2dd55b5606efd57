import type { Command } from 'commander';
import { API_ROLES, type ApiRole } from '../../engine/token-types.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { choiceOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens of `retain serve` (stored hashed; a secret is shown once)');

  token
    .command('create')
    .description('create a token and print its secret (once)')
    .requiredOption('--name <name>', 'who or what uses it')
    .requiredOption('--role <role>', `${API_ROLES.join(' | ')}`)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Roles: viewer reads analyses; analyst also runs jobs (training, scoring, plans); admin also imports data,
manages tokens and deletes. Send the token as "Authorization: Bearer <token>".
Examples:
  $ retain token create --name dashboard --role viewer
  $ retain token create --name etl --role admin --json`,
    )
    .action(async (opts: { name: string; role: string; json?: boolean }, cmd: Command) => {
      const role = choiceOption('--role', opts.role, API_ROLES) as ApiRole;
      await withWorkspace(cmd, async (engine) => {
        const created = await engine.createApiToken(opts.name, role);
        if (opts.json) return printJson(created);
        process.stdout.write(
          `token ${created.id} (${created.name}, ${created.role}):\n\n  ${created.token}\n\n` +
            'Keep it now: it is stored hashed and cannot be shown again.\n',
        );
      });
    });

  token
    .command('list')
    .description('every token (never the secrets)')
    .option('--json', 'print the result as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkspace(cmd, async (engine) => {
        const tokens = await engine.listApiTokens();
        if (opts.json) return printJson(tokens);
        if (tokens.length === 0) {
          process.stdout.write('no tokens: `retain token create --name N --role viewer` makes one\n');
          return;
        }
        process.stdout.write(
          formatTable(
            ['id', 'name', 'role', 'created', 'last used', 'revoked'],
            tokens.map((t) => [t.id, t.name, t.role, t.createdAt, t.lastUsedAt ?? '', t.revokedAt ?? '']),
          ) + '\n',
        );
      });
    });

  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (T1, T2, ...)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      await withWorkspace(cmd, async (engine) => {
        if (!(await engine.revokeApiToken(id))) throw new UserError(`no live token "${id}"`);
        if (opts.json) return printJson({ revoked: id });
        process.stdout.write(`revoked ${id}\n`);
      });
    });
}
