import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { type RunningSandbox, startSandbox } from '../test/helpers/sandbox.ts';
import { collectProblems, launchBrowser, SCREENSHOT_DIR } from './browser.ts';

const app = DEFAULT_APPS.find((candidate) => candidate.platform === 'facebook')!;
const REDIRECT_URI = 'https://tether.example/callback/facebook';

describe('sandbox Facebook Login dialog in the browser', () => {
  let s: RunningSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    s = await startSandbox();
    browser = await launchBrowser();
    context = browser.context;
    // The client's callback is answered in the browser, so nothing leaves the machine.
    await context.route('https://tether.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback reached' }),
    );
    page = await context.newPage();
    problems = collectProblems(page);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const openDialog = (state: string) =>
    page.goto(
      `${s.urls.facebookWww}/v25.0/dialog/oauth?${new URLSearchParams({
        client_id: app.id,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'pages_show_list,pages_manage_posts,instagram_basic,instagram_content_publish',
        state,
      })}`,
    );

  it('approves with one Page picked and redirects with a code', async () => {
    await openDialog('approve-state');
    await page.getByRole('note', { name: 'Sandbox' }).waitFor();
    await page.getByRole('heading', { name: /Tether Sandbox \(Facebook\) is requesting access/ }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-facebook-dialog.png'), fullPage: true });

    await page.getByRole('checkbox', { name: /Northwind Events/ }).uncheck();
    await page.getByRole('checkbox', { name: 'instagram_content_publish' }).uncheck();
    await page.getByRole('button', { name: 'Continue as Sam Rivera' }).click();
    await page.waitForURL(/tether\.example\/callback\/facebook/);
    const location = new URL(page.url());
    expect(location.searchParams.get('state')).toBe('approve-state');
    expect(location.hash).toBe('#_=_');
    const code = location.searchParams.get('code') ?? '';

    const exchange = await fetch(
      `${s.urls.facebookGraph}/v25.0/oauth/access_token?${new URLSearchParams({
        client_id: app.id,
        client_secret: app.secret,
        redirect_uri: REDIRECT_URI,
        code,
      })}`,
    );
    const { access_token: token } = (await exchange.json()) as { access_token: string };
    const debug = await fetch(
      `${s.urls.facebookGraph}/v25.0/debug_token?${new URLSearchParams({ input_token: token, access_token: `${app.id}|${app.secret}` })}`,
    );
    const { data } = (await debug.json()) as {
      data: { scopes: string[]; granular_scopes: Array<{ scope: string; target_ids?: string[] }> };
    };
    expect(data.scopes).not.toContain('instagram_content_publish');
    expect(data.granular_scopes).toContainEqual({
      scope: 'pages_manage_posts',
      target_ids: [DEFAULT_WORKSPACE.brandPageId],
    });
  });

  it('denies with access_denied', async () => {
    await openDialog('deny-state');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/tether\.example\/callback\/facebook/);
    const location = new URL(page.url());
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_reason')).toBe('user_denied');
    expect(location.searchParams.get('state')).toBe('deny-state');
  });

  it('shows Facebook’s URL Blocked page for a redirect URI the app does not allow', async () => {
    await s.control.upsertApp(app.id, { redirectUris: ['https://allowed.example/cb'] });
    await openDialog('blocked');
    await page.getByRole('heading', { name: 'URL Blocked' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sandbox-facebook-url-blocked.png') });
  });

  it('showed no page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
