import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT_BYTES } from '../src/server/app.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const errorShape = { error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) } };

describe('bad input gets a 4xx with {error: {code, message}}', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'input@example.com' }));
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { cookie, origin: ORIGIN, 'content-type': contentType }, payload });

  it('malformed JSON → 400 INVALID_JSON', async () => {
    for (const url of ['/api/api-tokens', '/api/auth/sign-in/email']) {
      const response = await post(url, '{"name": ');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'INVALID_JSON', message: expect.any(String) } });
    }
  });

  it('missing fields → 400 VALIDATION_FAILED naming the field', async () => {
    const response = await post('/api/api-tokens', '{}');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('name'),
    });
    const signIn = await post('/api/auth/sign-in/email', '{"email":"input@example.com"}');
    expect(signIn.statusCode).toBe(400);
    expect(signIn.json()).toMatchObject(errorShape);
  });

  it('oversized bodies → 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(JSON_BODY_LIMIT_BYTES + 1) });
    for (const url of ['/api/api-tokens', '/api/auth/sign-up/email']) {
      const response = await post(url, big);
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('wrong content types → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await post('/api/api-tokens', 'name=x', type);
      expect(response.statusCode, type).toBe(415);
      expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('unknown routes and methods → 404 NOT_FOUND as JSON', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/connected-accounts'],
      ['GET', '/sandbox/unknown'],
      ['PUT', '/settings'],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: { cookie } });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('never answers a stack trace', async () => {
    const response = await post('/api/api-tokens', '[1,2,3]');
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('the web app', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Tether</title>');
    fs.writeFileSync(path.join(webRoot, 'assets', 'app-1a2b.js'), 'console.log(1)');
    t = await createTestApp({}, { webRoot });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves index.html for client-side routes, with a strict CSP', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/settings/api-tokens' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>Tether</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets as immutable and keeps API 404s as JSON', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const api = await t.app.inject({ method: 'GET', url: '/api/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
  });
});
