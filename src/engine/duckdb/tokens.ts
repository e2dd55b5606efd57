/** API tokens in DuckDB: only the sha256 of a token is stored; the secret is shown once at creation. */
import { createHash, randomBytes } from 'node:crypto';
import { UserError } from '../../util/errors.js';
import type { Row } from '../engine.js';
import { API_ROLES, type ApiRole, type ApiToken, type CreatedApiToken } from '../token-types.js';
import type { DuckDbEngine } from './duckdb-engine.js';

/** Every token starts with this, so that a leaked one is easy to recognise (and to grep for). */
export const TOKEN_PREFIX = 'rtk_';

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const COLUMNS = `token_id, "name", "role", strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
  strftime(last_used_at, '%Y-%m-%dT%H:%M:%SZ') AS last_used_at,
  strftime(revoked_at, '%Y-%m-%dT%H:%M:%SZ') AS revoked_at`;

const toToken = (r: Row): ApiToken => ({
  id: String(r.token_id),
  name: String(r.name),
  role: String(r.role) as ApiRole,
  createdAt: String(r.created_at),
  lastUsedAt: (r.last_used_at as string | null) ?? null,
  revokedAt: (r.revoked_at as string | null) ?? null,
});

export async function duckDbCreateApiToken(
  engine: DuckDbEngine,
  name: string,
  role: ApiRole,
): Promise<CreatedApiToken> {
  if (name.trim() === '') throw new UserError('a token needs a name');
  if (!(API_ROLES as readonly string[]).includes(role))
    throw new UserError(`role must be one of ${API_ROLES.join(', ')}, not "${role}"`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return engine.transaction(async () => {
    const [next] = await engine.query(
      `SELECT coalesce(max(CAST(substr(token_id, 2) AS INTEGER)), 0) + 1 AS n FROM api_tokens`,
    );
    const id = `T${Number(next!.n)}`;
    await engine.run(
      `INSERT INTO api_tokens (token_id, "name", "role", token_hash, created_at)
       VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`,
      [id, name.trim(), role, hashToken(token)],
    );
    const [row] = await engine.query(`SELECT ${COLUMNS} FROM api_tokens WHERE token_id = $1`, [id]);
    return { ...toToken(row!), token };
  });
}

export async function duckDbListApiTokens(engine: DuckDbEngine): Promise<ApiToken[]> {
  const rows = await engine.query(
    `SELECT ${COLUMNS} FROM api_tokens ORDER BY CAST(substr(token_id, 2) AS INTEGER)`,
  );
  return rows.map(toToken);
}

/** Revoke a token by id; false when there is no such (unrevoked) token. */
export async function duckDbRevokeApiToken(engine: DuckDbEngine, id: string): Promise<boolean> {
  const [found] = await engine.query(
    `SELECT count(*) AS n FROM api_tokens WHERE token_id = $1 AND revoked_at IS NULL`,
    [id],
  );
  if (Number(found!.n) === 0) return false;
  await engine.run(`UPDATE api_tokens SET revoked_at = now()::TIMESTAMP WHERE token_id = $1`, [id]);
  return true;
}

/** The live token with this secret (its last use recorded), null when unknown or revoked. */
export async function duckDbVerifyApiToken(engine: DuckDbEngine, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = hashToken(token);
  const [row] = await engine.query(
    `SELECT token_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  if (!row) return null;
  await engine.run(`UPDATE api_tokens SET last_used_at = now()::TIMESTAMP WHERE token_id = $1`, [
    row.token_id,
  ]);
  const [r] = await engine.query(`SELECT ${COLUMNS} FROM api_tokens WHERE token_id = $1`, [row.token_id]);
  return toToken(r!);
}
