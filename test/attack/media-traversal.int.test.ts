import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestApp } from '../helpers/test-app.ts';
import { jpeg, multipartUpload } from './world.ts';

/**
 * Path traversal in media URLs: the public `/media/<id>.<ext>` files, `/api/media/:id`, and the
 * web app's static files. Canary files next to the data directory, inside it and next to the
 * web root never come back, whatever the encoding; the uploaded file does.
 */

const CANARY = `canary-${randomBytes(16).toString('hex')}`;
/** What the canary files hold (their names show up in 404 messages; their content must not). */
const CANARY_CONTENT = `content-${randomBytes(16).toString('hex')}`;
const INDEX_HTML = '<!doctype html><title>Tether</title>';

describe('attack: path traversal in media URLs', () => {
  let t: TestApp;
  let cookie: string;
  let publicPath: string;
  let planted: string[];
  let webRoot: string;

  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'tether-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), INDEX_HTML);
    t = await createTestApp({}, { webRoot });
    ({ cookie } = await signUp(t.app, { email: 'traversal@example.com' }, t.origin));
    const upload = multipartUpload(await jpeg());
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { cookie, origin: t.origin, ...upload.headers },
      payload: upload.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    publicPath = new URL(uploaded.json().url).pathname;
    const dataDir = t.config.dataDir;
    planted = [
      path.join(dataDir, '..', `${CANARY}.txt`),
      path.join(dataDir, `${CANARY}.txt`),
      path.join(dataDir, 'media', '..', `${CANARY}.jpg`),
      path.join(webRoot, '..', `${CANARY}.html`),
    ];
    for (const file of planted) fs.writeFileSync(file, CANARY_CONTENT);
  });
  afterAll(async () => {
    for (const file of planted ?? []) fs.rmSync(file, { force: true });
    fs.rmSync(webRoot, { recursive: true, force: true });
    await t?.close();
  });

  it('serves the uploaded file at its public path (so the refusals below are not vacuous)', async () => {
    const response = await t.app.inject({ method: 'GET', url: publicPath });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
  });

  it('never serves a file outside the media store, however the path is spelled', async () => {
    const dataName = path.basename(t.config.dataDir);
    const names = [`${CANARY}.txt`, `${CANARY}.jpg`, `${CANARY}.html`, 'secrets.json', 'etc/passwd'];
    const tricks = (name: string) => [
      `../${name}`,
      `../../${name}`,
      `..%2f${name}`,
      `..%2F..%2F${name}`,
      `%2e%2e%2f${name}`,
      `%2e%2e/${name}`,
      `%252e%252e%252f${name}`,
      `..%5c${name}`,
      `..\\${name}`,
      `....//${name}`,
      `..;/${name}`,
      `%c0%ae%c0%ae/${name}`,
      `${name}%00.jpg`,
      `%00${name}`,
      `/${name}`,
      `%2f${name}`,
      `C:%5c${name}`,
      `file:${name}`,
      `../${dataName}/${name}`,
      `..%2f${dataName}%2f${name}`,
    ];
    const prefixes = [
      '/media/',
      `${publicPath}/`,
      `${publicPath.replace(/\.jpg$/, '')}/`,
      '/api/media/',
      '/assets/',
      '/',
    ];
    let count = 0;
    for (const name of names) {
      for (const trick of tricks(name)) {
        for (const prefix of prefixes) {
          const url = `${prefix}${trick}`;
          const response = await t.app.inject({ method: 'GET', url, headers: { cookie } });
          expect(response.statusCode, `${url}: ${response.body.slice(0, 100)}`).toBeLessThan(500);
          expect(response.body, url).not.toContain(CANARY_CONTENT);
          expect(response.body, url).not.toMatch(/root:x:0:0|TOKEN_ENCRYPTION_KEYS|AUTH_SECRET/);
          // A media path answers 4xx; one that `..` normalises out of /media may get the app's page.
          if (prefix.includes('media') && response.statusCode < 400) expect(response.body, url).toBe(INDEX_HTML);
          count += 1;
        }
      }
    }
    console.info(`path traversal: ${count} spellings, none reached a file outside the media store`);
  });

  it('refuses a public id with a NUL byte, a second extension or a separator', async () => {
    for (const url of [
      `${publicPath}%00`,
      `${publicPath}%00.png`,
      `${publicPath}.jpg`,
      `${publicPath.replace('.jpg', '')}%2f..%2f.jpg`,
      `${publicPath.replace('.jpg', '.JPG')}`,
      `${publicPath.replace('.jpg', '.png')}`,
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
  });
});
