/**
 * Campaigns: the list (retain campaign list --json), creating one from a stored plan (retain campaign create
 * --json), recording outcomes from an uploaded CSV file (retain campaign record --json) and the measured
 * uplift (retain campaign evaluate ID --json).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import {
  createCampaign,
  evaluateCampaign,
  recordCampaignOutcomes,
} from '../../analysis/campaigns/campaigns.js';
import { ImportRejectedError, UserError } from '../../util/errors.js';
import { receiveUpload } from '../uploads.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errors, IsoDate, Loose, reply, StringEnum } from '../schemas.js';

export const CreateCampaignBody = Type.Object(
  {
    plan: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'stored plan id (default: the newest)' }),
    ),
    id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'campaign id (default CMP-<plan id>)' }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    holdout: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 0.99,
        default: 0.2,
        description: "share of each action's customers held out as control",
      }),
    ),
    seed: Type.Optional(Type.Integer({ default: 42, description: 'seed of the holdout draw' })),
    start: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

/** The outcome file's errors with the uploaded file's own name instead of its path on the server. */
function renamed(error: unknown, path: string, name: string): unknown {
  if (error instanceof ImportRejectedError)
    return new ApiError('unprocessable', error.message.replaceAll(path, name), {
      issues: error.issues.map((i) => ({ ...i, file: i.file === path ? name : i.file })),
      totalIssues: error.totalIssues,
    });
  if (error instanceof UserError) return new UserError(error.message.replaceAll(path, name));
  return error;
}

export function registerCampaignRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/campaigns',
    {
      schema: {
        summary:
          'every campaign, created here or imported, with group sizes and outcomes (retain campaign list --json)',
        tags: ['campaigns'],
        response: {
          200: Type.Object({
            campaigns: Type.Array(
              Loose({
                campaignId: Type.String(),
                source: Type.String(),
                treatment: Type.Integer(),
                control: Type.Integer(),
                outcomes: Type.Integer(),
              }),
            ),
          }),
          ...errors(),
        },
      },
    },
    async () => reply({ campaigns: await ctx.lock.run(() => ctx.engine.campaigns()) }),
  );

  app.get(
    '/api/campaigns/:id/evaluation',
    {
      schema: {
        summary: 'measured uplift, treatment vs control, with intervals (retain campaign evaluate ID --json)',
        tags: ['campaigns'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object(
          {
            outcomes: Type.Optional(
              StringEnum(['recorded', 'data'] as const, {
                description: 'default: recorded when there are any, else data',
              }),
            ),
            window: Type.Optional(
              Type.Integer({ minimum: 1, description: 'data: days after the start (90)' }),
            ),
            level: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Loose({
            campaignId: Type.String(),
            source: Type.String(),
            overall: Type.Unknown(),
            byAction: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 404, 422),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const q = request.query;
      return reply(
        await ctx.lock.run(async () => {
          if (!(await ctx.engine.campaigns()).some((c) => c.campaignId === id))
            throw new ApiError('not_found', `no campaign "${id}"`);
          return evaluateCampaign(ctx.engine, id, {
            ...(q.outcomes ? { outcomes: q.outcomes } : {}),
            ...(q.window !== undefined ? { windowDays: q.window } : {}),
            ...(q.level !== undefined ? { level: q.level } : {}),
          });
        }),
      );
    },
  );

  app.post(
    '/api/campaigns',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          'create a campaign from a stored plan with a seeded control group per action (retain campaign create --json)',
        tags: ['campaigns'],
        body: CreateCampaignBody,
        response: {
          201: Loose({
            campaignId: Type.String(),
            planId: Type.String(),
            treatment: Type.Integer(),
            control: Type.Integer(),
            byAction: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 403, 404, 409, 422),
        },
      },
    },
    async (request, res) => {
      const b = request.body;
      const created = await ctx.lock.run(async () => {
        if (b.plan !== undefined && !(await ctx.engine.storedPlan(b.plan)))
          throw new ApiError('not_found', MESSAGES.planNotFound(b.plan));
        // the id the library will give it (CMP-<plan>, the newest plan by default): taken is a 409
        const planId = b.plan ?? (await ctx.engine.storedPlans())[0]?.planId;
        const id = b.id ?? (planId === undefined ? undefined : `CMP-${planId}`);
        if (id !== undefined && (await ctx.engine.campaigns()).some((c) => c.campaignId === id))
          throw new ApiError('conflict', MESSAGES.campaignExists(id));
        return createCampaign(ctx.engine, {
          ...(b.plan !== undefined ? { planId: b.plan } : {}),
          ...(b.id !== undefined ? { campaignId: b.id } : {}),
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.holdout !== undefined ? { holdout: b.holdout } : {}),
          ...(b.seed !== undefined ? { seed: b.seed } : {}),
          ...(b.start !== undefined ? { startDate: b.start } : {}),
        });
      });
      return res.code(201).send(reply(created));
    },
  );

  app.post(
    '/api/campaigns/:id/outcomes',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          "record a campaign's outcomes from a CSV file, all or nothing (retain campaign record --json)",
        description:
          'multipart/form-data with one `file` part: a CSV with a header `customer_id, outcome, value, date` ' +
          '(`value` optional). Every row must be a member; a file with any problem records nothing and the ' +
          '422 names the file, line, field and value. The same file again changes nothing.',
        tags: ['campaigns'],
        consumes: ['multipart/form-data'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: {
          200: Loose({
            campaignId: Type.String(),
            file: Type.String(),
            rows: Type.Integer(),
            inserted: Type.Integer(),
            updated: Type.Integer(),
            unchanged: Type.Integer(),
          }),
          ...errors(400, 403, 404, 413, 422),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!request.isMultipart()) throw new ApiError('bad_request', MESSAGES.outcomesNotMultipart);
      const dir = join(ctx.uploadDir, randomUUID());
      try {
        // streamed to disk: an outcome file is read from there as `retain campaign record` reads it
        const file = await receiveUpload(request, dir, { fallbackName: 'outcomes.csv' });
        if (!file)
          throw new ApiError('bad_request', MESSAGES.missingFile, [
            { field: 'body.file', message: 'is required' },
          ]);
        const upload = file;
        return reply(
          await ctx.lock.run(async () => {
            if (!(await ctx.engine.campaigns()).some((c) => c.campaignId === id))
              throw new ApiError('not_found', MESSAGES.campaignNotFound(id));
            try {
              const r = await recordCampaignOutcomes(ctx.engine, id, upload.path);
              return { ...r, file: upload.name };
            } catch (error) {
              throw renamed(error, upload.path, upload.name);
            }
          }),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
