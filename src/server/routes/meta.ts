/** Health (open), the OpenAPI document, workspace info. */
import { basename } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { App, ServerContext } from '../app.js';
import { roleAllows } from '../auth.js';
import { errors, Loose, reply } from '../schemas.js';

export function registerMetaRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        summary: 'liveness: answers at once, even while jobs run',
        tags: ['meta'],
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            auth: Type.String(),
            jobs: Type.Object({ queued: Type.Integer(), running: Type.Integer() }),
          }),
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      auth: ctx.auth,
      jobs: {
        queued: ctx.jobs.list({ status: 'queued' }).length,
        running: ctx.jobs.list({ status: 'running' }).length,
      },
    }),
  );

  app.get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'this API as an OpenAPI 3 document',
        tags: ['meta'],
        response: { 200: Type.Unknown(), ...errors() },
      },
    },
    async () => app.swagger(),
  );

  app.get(
    '/api/info',
    {
      schema: {
        summary:
          'row counts and date ranges of every table (retain info --json); `location` is the workspace file name, its full path for admins',
        tags: ['workspace'],
        response: {
          200: Loose({
            engine: Type.String(),
            location: Type.String(),
            schemaVersion: Type.Integer(),
            tables: Type.Array(
              Type.Object({
                table: Type.String(),
                rows: Type.Integer(),
                from: Type.Union([Type.String(), Type.Null()]),
                to: Type.Union([Type.String(), Type.Null()]),
                dateColumn: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            stubCustomers: Type.Integer(),
            imports: Type.Integer(),
          }),
          ...errors(),
        },
      },
    },
    async (request) => {
      const info = await ctx.lock.run(() => ctx.engine.info());
      // where the workspace lives on the server is for admins; others see only its file name
      const admin = request.principal ? roleAllows(request.principal.role, 'admin') : false;
      return reply(admin ? info : { ...info, location: basename(info.location) });
    },
  );
}
