/**
 * API tokens in ClickHouse: only the sha256 of a token is stored. Rows are versions (ReplacingMergeTree,
 * read with FINAL): revoking or recording a use writes the token's row again with a higher version.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../../util/errors.js';
import type { Row } from '../engine.js';
import { API_ROLES, type ApiRole, type ApiToken, type CreatedApiToken } from '../token-types.js';
import { hashToken, TOKEN_PREFIX } from '../duckdb/tokens.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chIsoTime, nextVersion } from './records.js';
import { chNumber, chString } from './sql.js';

const isoOrNull = (col: string): string => `if(isNull(${col}), NULL, ${chIsoTime(`assumeNotNull(${col})`)})`;

const COLUMNS = `token_id, name, role, ${chIsoTime('created_at')} AS created_at,
  ${isoOrNull('last_used_at')} AS last_used_at, ${isoOrNull('revoked_at')} AS revoked_at`;

const toToken = (r: Row): ApiToken => ({
  id: String(r.token_id),
  name: String(r.name),
  role: String(r.role) as ApiRole,
  createdAt: String(r.created_at),
  lastUsedAt: (r.last_used_at as string | null) ?? null,
  revokedAt: (r.revoked_at as string | null) ?? null,
});

async function tokenRows(engine: ClickHouseEngine, where: string): Promise<Row[]> {
  return engine.conn
    .query(`SELECT ${COLUMNS} FROM ${engine.t('api_tokens')} FINAL WHERE deleted = 0 AND ${where}
    ORDER BY toUInt64(substring(token_id, 2, 20))`);
}

/** Write a token's row again with some fields changed (a new version). */
async function rewrite(
  engine: ClickHouseEngine,
  id: string,
  set: 'last_used_at' | 'revoked_at',
): Promise<void> {
  const cols = 'token_id, name, role, token_hash, created_at, last_used_at, revoked_at';
  await engine.conn.command(`INSERT INTO ${engine.t('api_tokens')} (${cols}, version, deleted)
    SELECT token_id, name, role, token_hash, created_at,
      ${set === 'last_used_at' ? 'toNullable(now())' : 'last_used_at'},
      ${set === 'revoked_at' ? 'toNullable(now())' : 'revoked_at'}, ${chNumber(nextVersion())}, 0
    FROM ${engine.t('api_tokens')} FINAL WHERE token_id = ${chString(id)} AND deleted = 0`);
}

export async function chCreateApiToken(
  engine: ClickHouseEngine,
  name: string,
  role: ApiRole,
): Promise<CreatedApiToken> {
  if (name.trim() === '') throw new UserError('a token needs a name');
  if (!(API_ROLES as readonly string[]).includes(role))
    throw new UserError(`role must be one of ${API_ROLES.join(', ')}, not "${role}"`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [next] = await engine.conn.query(
    `SELECT max(toUInt64(substring(token_id, 2, 20))) AS n, count() AS c FROM ${engine.t('api_tokens')}`,
  );
  const id = `T${Number(next!.c) === 0 ? 1 : Number(next!.n) + 1}`;
  await engine.conn.command(`INSERT INTO ${engine.t('api_tokens')}
    (token_id, name, role, token_hash, created_at, last_used_at, revoked_at, version, deleted)
    VALUES (${chString(id)}, ${chString(name.trim())}, ${chString(role)}, ${chString(hashToken(token))}, now(),
      NULL, NULL, ${chNumber(nextVersion())}, 0)`);
  const [row] = await tokenRows(engine, `token_id = ${chString(id)}`);
  return { ...toToken(row!), token };
}

export async function chListApiTokens(engine: ClickHouseEngine): Promise<ApiToken[]> {
  return (await tokenRows(engine, '1')).map(toToken);
}

export async function chRevokeApiToken(engine: ClickHouseEngine, id: string): Promise<boolean> {
  const found = await tokenRows(engine, `token_id = ${chString(id)} AND isNull(revoked_at)`);
  if (found.length === 0) return false;
  await rewrite(engine, id, 'revoked_at');
  return true;
}

export async function chVerifyApiToken(engine: ClickHouseEngine, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await tokenRows(engine, `token_hash = ${chString(hashToken(token))} AND isNull(revoked_at)`);
  if (!row) return null;
  await rewrite(engine, String(row.token_id), 'last_used_at');
  const [r] = await tokenRows(engine, `token_id = ${chString(String(row.token_id))}`);
  return toToken(r!);
}
