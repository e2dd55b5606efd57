/** Background jobs: list, poll, cancel. */
import { Type } from '@sinclair/typebox';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { JOB_STATUSES } from '../jobs.js';
import { MESSAGES } from '../messages.js';
import { errors, JobSchema, StringEnum } from '../schemas.js';

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export function registerJobRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/jobs',
    {
      schema: {
        summary: 'jobs, newest first (finished ones are kept for a while)',
        tags: ['jobs'],
        querystring: Type.Object(
          { status: Type.Optional(StringEnum(JOB_STATUSES)), kind: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ jobs: Type.Array(JobSchema) }), ...errors(400) },
      },
    },
    async (request) => ({
      jobs: ctx.jobs.list({
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.kind ? { kind: request.query.kind } : {}),
      }),
    }),
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'one job: status, progress, result or error',
        tags: ['jobs'],
        params: JobParams,
        response: { 200: JobSchema, ...errors(404) },
      },
    },
    async (request) => {
      const job = ctx.jobs.get(request.params.id);
      if (!job) throw new ApiError('not_found', MESSAGES.jobNotFound(request.params.id));
      return job;
    },
  );

  app.delete(
    '/api/jobs/:id',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'cancel a job (a queued one at once; a running one stops at its next step)',
        tags: ['jobs'],
        params: JobParams,
        response: { 202: JobSchema, ...errors(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const job = ctx.jobs.cancel(request.params.id);
      return reply.code(202).send(job);
    },
  );
}
