import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../test/helpers/server-process.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR } from './browser.ts';

describe('sign up, settings and API tokens in the browser', () => {
  let app: AppInBrowser;
  let server: ServerProcess;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ server, context, page } = app);
  });
  afterAll(() => app?.close());

  const email = 'browser@example.com';
  const password = 'a browser password';

  it('signs up and lands in Settings → Connected accounts with the sandbox banner', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Browser User');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await page.waitForURL(/\/settings\/social-accounts/);
    await page.getByRole('heading', { name: 'Connected accounts' }).waitFor();
    await page.getByText('No accounts connected yet').waitFor();
    await page.getByRole('note', { name: 'Sandbox mode' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'connected-accounts.png') });
  });

  it('signs out, refuses a wrong password, and signs back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const anonymous = await context.request.get(`${server.baseUrl}/api/auth/get-session`);
    expect(await anonymous.json()).toBeNull();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/invalid email or password/i).waitFor();

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/settings\/social-accounts/);
    const session = await context.request.get(`${server.baseUrl}/api/auth/get-session`);
    expect((await session.json()).user.email).toBe(email);
  });

  it('creates an API token in Settings → API tokens that authenticates API requests', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Token name').fill('Publishing bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^tth_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'api-token-created.png') });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'Publishing bot' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'api-tokens.png') });

    const me = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email });
    const wrong = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${secret}x` } });
    expect(wrong.status).toBe(401);
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
