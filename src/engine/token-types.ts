/** API tokens of `retain serve`: stored hashed (sha256) in the workspace, shown once when created. */
export const API_ROLES = ['viewer', 'analyst', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiToken {
  /** Short public id (`T1`, `T2`, ...) used to list and revoke; never the secret. */
  readonly id: string;
  readonly name: string;
  readonly role: ApiRole;
  /** ISO timestamps (UTC). */
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A token just created: the secret is returned this once and only its hash is stored. */
export interface CreatedApiToken extends ApiToken {
  readonly token: string;
}
