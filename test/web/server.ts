/**
 * The server behind the dashboard tests: a temporary workspace with the seeded demo, the built dashboard
 * (dist/web) and the real API server (`createServer`), with a viewer token and an admin token (imports);
 * optionally with stored churn scores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace } from '../../src/workspace.js';
import { createServer } from '../../src/server/app.js';
import { REPO, tempDir } from '../helpers.js';

export const WEB_DIR = join(REPO, 'dist', 'web');
const CLI = join(REPO, 'dist', 'cli', 'main.js');
export const DEMO_CUSTOMERS = 2000;

export interface TestServer {
  readonly url: string;
  readonly token: string;
  /** An admin token: imports need it. */
  readonly adminToken: string;
  /** GET an API path with the token, as the dashboard does. */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

function cli(db: string, args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`retain ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A seeded demo workspace with month-end stages recorded (for the stage mix over time). */
function prepareWorkspace(db: string): void {
  cli(db, ['demo', '--customers', String(DEMO_CUSTOMERS), '--seed', '42']);
  cli(db, ['lifecycle', 'history', '--from', '2025-01', '--to', '2025-12']);
}

export interface ServerOptions {
  /** Train a 90-day logistic churn model and store its scores (`retain churn train` / `churn score`). */
  readonly churnScores?: boolean;
  /**
   * More preparation of the workspace before the server opens it, with the CLI as a user runs it
   * (`run(['clv', 'fit', '--model', 'bgnbd'])`); `dir` is the test's temporary folder.
   */
  readonly prepare?: (run: (args: string[]) => string, dir: string) => void;
}

/** Stored churn scores, as a user makes them with the CLI. */
function prepareChurnScores(db: string, dir: string): void {
  const model = join(dir, 'churn-model.json');
  cli(db, ['churn', 'train', '--horizon', '90', '--model', 'logistic', '--save', model]);
  cli(db, ['churn', 'score', '--model', model]);
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('dist/web is missing: run npm run build');
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'web.duckdb');
  prepareWorkspace(db);
  if (options.churnScores) prepareChurnScores(db, dir);
  options.prepare?.((args) => cli(db, args), dir);
  const server = await startApp(db);
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}/api${path}`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    if (!res.ok) throw new Error(`GET /api${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...server,
    api,
    close: async () => {
      await server.close();
      cleanup();
    },
  };
}

async function startApp(db: string): Promise<Omit<TestServer, 'api'>> {
  const engine = await openWorkspace({ db });
  const { token } = await engine.createApiToken('web-tests', 'viewer');
  const { token: adminToken } = await engine.createApiToken('web-tests-admin', 'admin');
  const app = await createServer({ engine, dbPath: db, auth: 'tokens', staticDir: WEB_DIR });
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  return {
    url,
    token,
    adminToken,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
