/** The record of a server job kept in the workspace, so that the job list survives a restart. */
export interface StoredJob {
  readonly id: string;
  readonly kind: string;
  /** queued, running, succeeded, failed or cancelled. */
  readonly status: string;
  readonly createdBy: string;
  /** ISO timestamps (UTC). */
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly params: unknown;
  readonly result: unknown;
  readonly error: unknown;
}
