/** CLV: the fitted models kept in the workspace (retain clv fits --json). */
import { Type } from '@sinclair/typebox';
import type { App, ServerContext } from '../app.js';
import { errors, reply } from '../schemas.js';

export function registerClvRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/clv/fits',
    {
      schema: {
        summary: 'the fitted CLV models kept in the workspace, newest first (retain clv fits --json)',
        tags: ['clv'],
        querystring: Type.Object(
          {
            model: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'only this model' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              fitId: Type.Integer(),
              model: Type.String(),
              fittedAt: Type.String(),
              timeUnit: Type.Union([Type.String(), Type.Null()]),
              calibrationEnd: Type.Union([Type.String(), Type.Null()]),
              fingerprint: Type.String(),
            }),
          ),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const { model } = request.query;
      return reply(await ctx.lock.run(() => ctx.engine.listModelFits(model)));
    },
  );
}
