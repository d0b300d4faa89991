import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import type { ServerProcess } from './server-process.ts';
import { createPostgresTestDatabase } from './test-database.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Environment for a Tether process: a fresh DATA_DIR, and a fresh database when the suite runs on PostgreSQL. */
export async function processEnvironment(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-proc-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  const database = adminUrl ? await createPostgresTestDatabase(adminUrl) : undefined;
  return {
    env: { DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) },
    async cleanup() {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `node <script> ...args` to completion and returns its exit code and output. */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Polls `probe` until it gives something other than undefined or false, or fails naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A signed-up user with a personal API token, and the account they connected with Instagram Login. */
export interface Connected {
  cookie: string;
  apiToken: string;
  accountId: string;
}

/** Signs up, creates an API token and connects @sam.makes.things through the sandbox's consent page, over HTTP. */
export async function signUpAndConnect(server: ServerProcess, email: string): Promise<Connected> {
  const origin = { origin: server.baseUrl, 'content-type': 'application/json' };
  const signUp = await fetch(`${server.baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: origin,
    body: JSON.stringify({ name: 'Process Test', email, password: 'a long enough password' }),
  });
  expect(signUp.status).toBe(200);
  const cookie = signUp.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const created = await fetch(`${server.baseUrl}/api/api-tokens`, {
    method: 'POST',
    headers: { ...origin, cookie },
    body: JSON.stringify({ name: 'process test' }),
  });
  expect(created.status).toBe(201);
  const { secret: apiToken } = (await created.json()) as { secret: string };

  const accountId = await connectInstagramLogin(server, cookie);
  return { cookie, apiToken, accountId };
}

/** Start → the sandbox's Instagram consent page (allow, as @sam.makes.things) → Tether's callback; returns the account id. */
export async function connectInstagramLogin(server: ServerProcess, cookie: string): Promise<string> {
  const start = await fetch(`${server.baseUrl}/api/connected-accounts/connect/instagram_login`, {
    method: 'POST',
    headers: { origin: server.baseUrl, 'content-type': 'application/json', cookie },
    body: '{}',
  });
  expect(start.status).toBe(200);
  const loginUrl = new URL(((await start.json()) as { loginUrl: string }).loginUrl);
  const form = new URLSearchParams(loginUrl.searchParams);
  form.set('decision', 'allow');
  form.set('account_id', DEFAULT_WORKSPACE.creatorInstagramId);
  const decision = await fetch(`${loginUrl.origin}${loginUrl.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(decision.status).toBe(302);
  const landed = await fetch(decision.headers.get('location') ?? '', { headers: { cookie }, redirect: 'manual' });
  expect(landed.status).toBe(302);
  const accountId = new URL(landed.headers.get('location') ?? '', server.baseUrl).searchParams.get('connected') ?? '';
  expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
  return accountId;
}
