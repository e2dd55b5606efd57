import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createServer } from '../../server/app.js';
import { MESSAGES } from '../../server/messages.js';
import { UserError } from '../../util/errors.js';
import { describeWorkspace, openWorkspace, resolveWorkspace } from '../../workspace.js';
import { workspaceOptions } from '../context.js';
import { numberOption } from '../options.js';

interface ServeCliOptions {
  port?: string;
  host: string;
  auth: boolean;
  static?: string;
  dashboard?: boolean;
  jobs?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('JSON API over every analysis (and the dashboard with --static)')
    .option('--port <n>', 'port (default 8080; 0 picks a free one)')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--no-auth', 'no tokens: every request is an admin (only on a loopback address)')
    .option('--static <dir>', 'serve this folder at / (default: the built dashboard, when it is there)')
    .option('--no-dashboard', 'serve the API only')
    .option('--jobs <n>', 'background jobs running at once (default 1)')
    .addHelpText(
      'after',
      `
Every route but /api/health needs "Authorization: Bearer <token>" (retain token create). The API is
documented at /api/openapi.json. Logs are JSON lines on stdout. Stop with Ctrl-C.
Examples:
  $ retain token create --name me --role admin
  $ retain serve --port 8080 --static dist/web
  $ retain serve --no-auth`,
    )
    .action(async (opts: ServeCliOptions, cmd: Command) => {
      const port = numberOption('--port', opts.port, { min: 0, max: 65535, integer: true }) ?? 8080;
      const concurrency = numberOption('--jobs', opts.jobs, { min: 1, max: 16, integer: true }) ?? 1;
      if (!opts.auth && !LOOPBACK.has(opts.host)) throw new UserError(MESSAGES.authOffNotLoopback(opts.host));
      const options = workspaceOptions(cmd);
      const target = resolveWorkspace(options);
      const dbPath = describeWorkspace(target);
      const engine = await openWorkspace(options);
      const app = await createServer({
        engine,
        dbPath,
        auth: opts.auth ? 'tokens' : 'off',
        logger: true,
        staticDir: opts.dashboard === false ? null : (opts.static ?? builtDashboard()),
        concurrency,
      });
      try {
        await app.listen({ port, host: opts.host });
      } catch (error) {
        await app.close();
        await engine.close();
        throw new UserError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
      }
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      process.stderr.write(
        `retain serve: http://${host}:${bound}/ (workspace ${dbPath}, auth ${opts.auth ? 'tokens' : 'off'})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await app.close();
      await engine.close();
    });
}

/** The dashboard built next to this CLI (dist/web), or null (e.g. running from the sources). */
function builtDashboard(): string | null {
  const dir = fileURLToPath(new URL('../../web/', import.meta.url));
  return existsSync(join(dir, 'index.html')) ? dir : null;
}
