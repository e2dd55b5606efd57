/** API tokens (admin): the CLI cannot open the workspace while the server holds it, so they are here too. */
import { Type } from '@sinclair/typebox';
import { API_ROLES } from '../../engine/token-types.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errors, StringEnum } from '../schemas.js';

const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: StringEnum(API_ROLES),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export function registerTokenRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'every token (never the secrets)',
        tags: ['tokens'],
        response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }), ...errors(403) },
      },
    },
    async () => ({ tokens: await ctx.lock.run(() => ctx.engine.listApiTokens()) }),
  );

  app.post(
    '/api/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'create a token; its secret is in this response only',
        tags: ['tokens'],
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), role: StringEnum(API_ROLES) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...TokenSchema.properties, token: Type.String() }),
          ...errors(400, 403),
        },
      },
    },
    async (request, reply) => {
      const created = await ctx.lock.run(() =>
        ctx.engine.createApiToken(request.body.name, request.body.role),
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'revoke a token',
        tags: ['tokens'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 50 }) }),
        response: { 200: Type.Object({ revoked: Type.String() }), ...errors(403, 404) },
      },
    },
    async (request) => {
      const ok = await ctx.lock.run(() => ctx.engine.revokeApiToken(request.params.id));
      if (!ok) throw new ApiError('not_found', MESSAGES.tokenNotFound(request.params.id));
      ctx.tokens.forget(request.params.id);
      return { revoked: request.params.id };
    },
  );
}
