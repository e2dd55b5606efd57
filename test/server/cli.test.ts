/** `retain token` and `retain serve` as a user runs them (the built CLI). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, retain, tempDir } from '../helpers.js';

describe('retain token', () => {
  it('creates (secret once), lists (no secrets) and revokes', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'w.duckdb');
      const created = retain(['--db', db, 'token', 'create', '--name', 'ci', '--role', 'analyst', '--json']);
      expect(created.code).toBe(0);
      const token = JSON.parse(created.stdout) as { id: string; token: string; role: string };
      expect(token).toMatchObject({ id: 'T1', role: 'analyst' });
      const list = retain(['--db', db, 'token', 'list', '--json']);
      expect(list.stdout).not.toContain(token.token);
      expect(JSON.parse(list.stdout)).toHaveLength(1);
      expect(retain(['--db', db, 'token', 'revoke', 'T1']).code).toBe(0);
      expect(retain(['--db', db, 'token', 'revoke', 'T1']).code).toBe(1);
      expect(retain(['--db', db, 'token', 'create', '--name', 'x', '--role', 'root']).code).toBe(1);
    } finally {
      cleanup();
    }
  });
});

describe('retain serve', () => {
  it('refuses --no-auth off loopback', () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = retain(['--db', join(dir, 'w.duckdb'), 'serve', '--no-auth', '--host', '0.0.0.0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('loopback');
    } finally {
      cleanup();
    }
  });

  it('serves, logs JSON lines without the token, and stops on SIGTERM', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'w.duckdb');
      const token = (
        JSON.parse(
          retain(['--db', db, 'token', 'create', '--name', 'me', '--role', 'viewer', '--json']).stdout,
        ) as {
          token: string;
        }
      ).token;
      const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /http:\/\/[^\s/]+\//.exec(stderr);
          if (m) resolve(m[0]);
        });
        child.on('exit', () => reject(new Error(stderr)));
      });
      const info = await fetch(`${url}api/info`, { headers: { authorization: `Bearer ${token}` } });
      expect(info.status).toBe(200);
      expect((await fetch(`${url}api/info`)).status).toBe(401);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(stdout).not.toContain(token);
      expect(stdout).toContain('responseTime');
    } finally {
      cleanup();
    }
  }, 30_000);
});
