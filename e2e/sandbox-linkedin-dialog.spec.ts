import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../test/helpers/sandbox.ts';
import { collectProblems, launchBrowser, SCREENSHOT_DIR } from './browser.ts';

const CLIENT_ID = 'sandboxlinkedinclient';
const REDIRECT_URI = 'https://tether.example/oauth/linkedin/callback';

describe('sandbox LinkedIn consent page in the browser', () => {
  let s: RunningSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    s = await startSandbox();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    problems = collectProblems(page);
    // The client's callback is not running here: answer it in the browser.
    await browser.context.route('https://tether.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback reached' }),
    );
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const authorizeUrl = (state: string) =>
    `${s.urls.linkedinWww}/oauth/v2/authorization?${new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      state,
      scope: 'openid profile email w_member_social',
    })}`;

  it('shows the permissions and the member; Allow returns a code that exchanges for a token', async () => {
    await page.goto(authorizeUrl('allow-state'));
    await page.getByRole('heading', { name: 'Tether Sandbox (LinkedIn) would like to:' }).waitFor();
    await page.getByRole('note', { name: 'Sandbox' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    const permissions = await page
      .getByRole('list', { name: 'Requested permissions' })
      .getByRole('listitem')
      .allTextContents();
    expect(permissions).toEqual([
      'Use your name and photo',
      'Use the primary email address associated with your LinkedIn account',
      'Create, modify, and delete posts, comments, and reactions on your behalf',
    ]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-linkedin-consent.png') });

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/^https:\/\/tether\.example\//);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('state')).toBe('allow-state');
    const code = callback.searchParams.get('code') ?? '';
    const token = await fetch(`${s.urls.linkedinWww}/oauth/v2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: CLIENT_ID,
        client_secret: 'sandbox-linkedin-client-secret',
        redirect_uri: REDIRECT_URI,
      }),
    });
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ scope: 'email,openid,profile,w_member_social' });
  });

  it('Cancel returns user_cancelled_authorize with the state', async () => {
    await page.goto(authorizeUrl('cancel-state'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/^https:\/\/tether\.example\//);
    const callback = new URL(page.url());
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      error: 'user_cancelled_authorize',
      error_description: 'The user cancelled the authorization',
      state: 'cancel-state',
    });
  });

  it('shows an error page, not a redirect, for an unknown client', async () => {
    await page.goto(authorizeUrl('x').replace(CLIENT_ID, 'unknown-client'));
    await page.getByRole('heading', { name: 'Bummer, something went wrong.' }).waitFor();
    expect(page.url()).toContain('/linkedin-www/oauth/v2/authorization');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-linkedin-error.png') });
  });

  it('showed no page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
