import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import type { DatabaseHandle } from '../../src/server/db/client.ts';
import { createLogger } from '../../src/server/logger.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/** The whole app on a fresh database, logging into memory; drive it with `app.inject`. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { webRoot?: string } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-app-'));
  const { config } = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:3000', ...env });
  const database = await openTestDatabase();
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const app = await buildApp({
    config,
    database,
    logger,
    webRoot: options.webRoot ?? path.join(dataDir, 'no-web-build'),
  });
  await app.ready();
  return {
    app,
    config,
    database,
    logs,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ORIGIN = 'http://localhost:3000';

/** Signs a new user up and returns the session cookie to send with later requests. */
export async function signUp(
  app: FastifyInstance,
  user: { email: string; password?: string; name?: string },
): Promise<{ cookie: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { origin: ORIGIN },
    payload: { name: user.name ?? 'Test User', email: user.email, password: user.password ?? 'a long enough password' },
  });
  if (response.statusCode !== 200) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie };
}
