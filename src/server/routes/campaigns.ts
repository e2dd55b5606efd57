/** Campaigns: the list (retain campaign list --json) and measured uplift (retain campaign evaluate ID --json). */
import { Type } from '@sinclair/typebox';
import { evaluateCampaign } from '../../analysis/campaigns/campaigns.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { errors, Loose, reply, StringEnum } from '../schemas.js';

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
}
