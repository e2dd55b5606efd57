import { resolve } from 'node:path';
import type { Engine } from './engine/engine.js';
import { DuckDbEngine } from './engine/duckdb/duckdb-engine.js';
import { UserError } from './util/errors.js';

export const DEFAULT_DB = 'retain.duckdb';

export interface WorkspaceOptions {
  /** Workspace file; else `RETAIN_DB`; else `./retain.duckdb`. */
  readonly db?: string;
}

export function resolveDbPath(options: WorkspaceOptions = {}): string {
  return resolve(options.db ?? (process.env.RETAIN_DB || DEFAULT_DB));
}

/** Open (creating if needed) a workspace and bring its schema to the newest version. */
export async function openWorkspace(options: WorkspaceOptions = {}): Promise<Engine> {
  const path = resolveDbPath(options);
  let engine: DuckDbEngine;
  try {
    engine = await DuckDbEngine.open(path);
  } catch (error) {
    throw new UserError(`cannot open workspace ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    await engine.migrate();
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}
