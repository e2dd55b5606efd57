/**
 * Bearer-token authentication and roles. Tokens are verified against their sha256 in the workspace (a
 * verified token is cached for a minute, dropped at once when revoked through the API). Health and the
 * dashboard's static files are open; with `auth: 'off'` (loopback only) every request is an admin.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '../engine/engine.js';
import type { ApiRole, ApiToken } from '../engine/token-types.js';
import { hashToken } from '../engine/duckdb/tokens.js';
import type { EngineLock } from './engine-lock.js';
import { ApiError } from './errors.js';
import { MESSAGES } from './messages.js';

export interface Principal {
  readonly name: string;
  readonly role: ApiRole;
  /** null with authentication off. */
  readonly tokenId: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may call the route (default: viewer for GET, admin otherwise). */
    role?: ApiRole;
    /** Open to everyone (health). */
    public?: boolean;
    /** A POST that only reads (an analysis with its rule files in the body): it leaves cached answers be. */
    readOnly?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const RANK: Record<ApiRole, number> = { viewer: 0, analyst: 1, admin: 2 };

export const roleAllows = (role: ApiRole, needed: ApiRole): boolean => RANK[role] >= RANK[needed];

const CACHE_MS = 60_000;

export class TokenVerifier {
  private readonly cache = new Map<string, { token: ApiToken; at: number }>();

  constructor(
    private readonly engine: Engine,
    private readonly lock: EngineLock,
  ) {}

  async verify(secret: string): Promise<ApiToken | null> {
    const hash = hashToken(secret);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.token;
    const token = await this.lock.run(() => this.engine.verifyApiToken(secret));
    if (token) this.cache.set(hash, { token, at: Date.now() });
    else this.cache.delete(hash);
    return token;
  }

  /** Forget a revoked token at once. */
  forget(tokenId: string): void {
    for (const [hash, entry] of this.cache) if (entry.token.id === tokenId) this.cache.delete(hash);
  }
}

export function installAuth(app: FastifyInstance, mode: 'tokens' | 'off', verifier: TokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/api/') && path !== '/api') return;
    const config = request.routeOptions.config;
    if (config.public) return;
    let principal: Principal;
    if (mode === 'off') principal = { name: 'local', role: 'admin', tokenId: null };
    else {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!match) throw new ApiError('unauthorized', MESSAGES.missingToken);
      const token = await verifier.verify(match[1]!);
      if (!token) throw new ApiError('unauthorized', MESSAGES.invalidToken);
      principal = { name: token.name, role: token.role, tokenId: token.id };
    }
    request.principal = principal;
    const needed =
      config.role ?? (request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin');
    if (!roleAllows(principal.role, needed))
      throw new ApiError('forbidden', MESSAGES.forbidden(principal.role, needed));
  });
}

/** Who made the request, for a job's `createdBy`. */
export const whoOf = (request: FastifyRequest): string =>
  request.principal
    ? `${request.principal.name}${request.principal.tokenId ? ` (${request.principal.tokenId})` : ''}`
    : 'anonymous';
