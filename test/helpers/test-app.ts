import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { expect } from 'vitest';
import type { Post } from '../../src/contracts/posts.ts';
import { buildApp } from '../../src/server/app.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import type { DatabaseHandle } from '../../src/server/db/client.ts';
import { startJobs } from '../../src/server/jobs/runner.ts';
import { createLogger } from '../../src/server/logger.ts';
import { Metrics } from '../../src/server/metrics.ts';
import { createConnectDeps } from '../../src/server/services/connect-deps.ts';
import { waitFor } from './fixtures.ts';
import { freePort } from './server-process.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  /** The job queue with workers, when asked for with `jobs`. */
  boss?: PgBoss;
  /** The browser origin of the app: its PUBLIC_URL. */
  origin: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  webRoot?: string;
  /**
   * Listen on a loopback port (PUBLIC_URL follows it), for tests where something fetches the
   * app over real HTTP, as the platforms fetch media.
   */
  listen?: boolean;
  /** Start pg-boss with workers (ROLE=all) on the test database. */
  jobs?: boolean;
}

/** The whole app on a fresh database, logging into memory; drive it with `app.inject`. */
export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-app-'));
  const port = options.listen ? await freePort() : undefined;
  const publicUrl = port ? `http://localhost:${port}` : ORIGIN;
  const { config } = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PUBLIC_URL: publicUrl, ...env });
  const database = await openTestDatabase();
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  // Calls to the app's own URL (the mounted sandbox) are served in-process, without a listening port.
  let self: FastifyInstance | undefined;
  const providerFetch = port ? fetch : inProcessFetch(config.publicUrl, () => self);
  const metrics = new Metrics();
  const boss = options.jobs
    ? await startJobs({
        database,
        role: 'all',
        logger,
        connections: createConnectDeps({ config, db: database.db, log: logger, fetch: providerFetch, metrics }),
      })
    : undefined;
  const app = await buildApp({
    config,
    database,
    logger,
    webRoot: options.webRoot ?? path.join(dataDir, 'no-web-build'),
    providerFetch,
    boss,
    metrics,
  });
  if (port) await app.listen({ port, host: '127.0.0.1' });
  await app.ready();
  self = app;
  return {
    app,
    config,
    database,
    logs,
    boss,
    origin: publicUrl,
    async close() {
      await app.close();
      await boss?.stop({ graceful: false, close: true, timeout: 2_000 });
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
  origin = ORIGIN,
): Promise<{ cookie: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { origin },
    payload: { name: user.name ?? 'Test User', email: user.email, password: user.password ?? 'a long enough password' },
  });
  if (response.statusCode !== 200) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie };
}

/**
 * A fetch that hands requests for `baseUrl` to `app.inject` and everything else to the network,
 * so providers reach the sandbox mounted in the app under test.
 */
export function inProcessFetch(baseUrl: string, app: () => FastifyInstance | undefined) {
  const origin = new URL(baseUrl).origin;
  return async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    const target = app();
    if (url.origin !== origin || !target) return fetch(input, init);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body;
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === 'string'
          ? body
          : Buffer.from(await new Response(body).arrayBuffer());
    const response = await target.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers,
      payload,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.set(name, String(value));
    }
    const noBody = response.statusCode === 204 || response.statusCode === 304;
    return new Response(noBody ? null : new Uint8Array(response.rawPayload), {
      status: response.statusCode,
      headers: responseHeaders,
    });
  };
}

/** Uploads a file to the media library as the signed-in browser does (same-origin, session cookie); returns its id. */
export async function uploadMedia(
  origin: string,
  cookie: string,
  file: { bytes: Buffer; name: string; type: string },
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${origin}/api/media`, { method: 'POST', headers: { cookie, origin }, body: form });
  const body = (await response.json()) as { id: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

/**
 * The API as the signed-in browser calls it (session cookie, same origin). The session is read at
 * each call, since suites sign in inside `beforeAll`. `settled` waits until every target of a post
 * is published or failed.
 */
export function browserApi(session: () => { t: TestApp; cookie: string }) {
  const api = async (method: string, url: string, body?: unknown) => {
    const { t, cookie } = session();
    const response = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { cookie, origin: t.origin },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  };
  const post = async (id: string) => (await api('GET', `/api/posts/${id}`)).json as Post;
  const settled = (id: string, timeoutMs?: number) =>
    waitFor(
      () => post(id),
      (value) => value.targets.every((target) => ['published', 'failed'].includes(target.status)),
      timeoutMs,
    );
  return { api, post, settled };
}
