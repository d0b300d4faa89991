import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { type RunningSandbox, startSandbox } from '../test/helpers/sandbox.ts';
import { collectProblems, launchBrowser, SCREENSHOT_DIR } from './browser.ts';

const CLIENT_ID = '2000000000000002';
const REDIRECT = 'https://tether.example/callback/instagram';

describe('Instagram Login dialog in the browser (sandbox)', () => {
  let s: RunningSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    s = await startSandbox();
    browser = await launchBrowser();
    // The client's callback is not running here: answer it in the browser and keep the URL.
    await browser.context.route('https://tether.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<p>callback reached</p>' }),
    );
    page = await browser.context.newPage();
    problems = collectProblems(page);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const dialogUrl = (state: string) =>
    `${s.urls.instagramWww}/oauth/authorize?${new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'instagram_business_basic,instagram_business_content_publish',
      state,
    })}`;

  it('shows the consent screen and redirects with a code on Allow', async () => {
    await page.goto(dialogUrl('allow-state'));
    await page.getByRole('heading', { name: 'Allow Tether Sandbox (Instagram) to access your account?' }).waitFor();
    await page.getByRole('note', { name: 'Sandbox' }).waitFor();
    await page.getByText('Create and publish content').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-instagram-consent.png'), fullPage: true });

    await page.getByLabel(/sam\.makes\.things/).check();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/^https:\/\/tether\.example\/callback\/instagram\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('state')).toBe('allow-state');
    expect(url.hash).toBe('#_');
    const code = url.searchParams.get('code') ?? '';
    expect(code).toMatch(/^AQB/);

    const exchange = await fetch(`${s.urls.instagramApi}/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        client_secret: 'sandbox-instagram-app-secret',
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT,
        code,
      }),
    });
    expect(await exchange.json()).toMatchObject({ data: [{ user_id: DEFAULT_WORKSPACE.creatorInstagramId }] });
  });

  it('redirects with user_denied on Cancel', async () => {
    await page.goto(dialogUrl('cancel-state'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/error=access_denied/);
    const url = new URL(page.url());
    expect(url.searchParams.get('error_reason')).toBe('user_denied');
    expect(url.searchParams.get('error_description')).toBe('The user denied your request');
    expect(url.searchParams.get('state')).toBe('cancel-state');
  });

  it('shows an error page for a bad client', async () => {
    await page.goto(dialogUrl('x').replace(CLIENT_ID, '42'));
    await page.getByRole('heading', { name: 'Invalid Request' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-instagram-error.png') });
  });

  it('showed no page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
