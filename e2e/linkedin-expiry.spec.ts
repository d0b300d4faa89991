import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

const LINKEDIN_APP = DEFAULT_APPS.find((app) => app.platform === 'linkedin')?.id ?? '';
const MEMBER = 'Sam Rivera';

/**
 * What a LinkedIn card promises: with a refresh token, that Tether renews the token and until when
 * the refresh token lasts; without one, only the date to reconnect by, and no refresh pretended.
 */
describe('LinkedIn connection expiry on the account card (sandbox)', () => {
  let app: AppInBrowser;
  let page: Page;

  const card = () => page.getByRole('article', { name: MEMBER });
  const control = async (method: 'GET' | 'PUT', suffix: string, body?: unknown) => {
    const response = await fetch(`${app.server.baseUrl}/sandbox/__control${suffix}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const refreshCalls = async () =>
    (await control('GET', '/requests?endpoint=li.oauth.access_token')).requests.filter((entry: { body: unknown }) =>
      JSON.stringify(entry.body).includes('refresh_token'),
    ).length;

  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ page } = app);
  });
  afterAll(() => app?.close());

  it('with a refresh token: renewed by Tether, and the refresh token’s own end date shown', async () => {
    await signUpInBrowser(page, app.server.baseUrl, { name: 'LinkedIn User', email: 'linkedin-expiry@example.com' });

    await page.getByRole('button', { name: 'Connect LinkedIn profile', exact: true }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await card()
      .getByText(/Tether renews it before then/)
      .waitFor();
    await card()
      .getByText(/Refresh token valid until .+: reconnect before then/)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'linkedin-with-refresh-token.png') });
  });

  it('without one: "Reconnect before <date>", and Refresh only checks the token', async () => {
    await control('PUT', `/apps/${LINKEDIN_APP}`, { programmaticRefresh: false });
    await card()
      .getByRole('button', { name: `Reconnect ${MEMBER}` })
      .click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/settings\/social-accounts/);
    await card()
      .getByText(/^Reconnect before /)
      .waitFor();
    expect(
      await card()
        .getByText(/renews|Refresh token/)
        .count(),
    ).toBe(0);

    const before = await refreshCalls();
    await card().getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByText(/checked/i)
      .first()
      .waitFor();
    expect(await refreshCalls()).toBe(before);
    await card()
      .getByText(/^Reconnect before /)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'linkedin-without-refresh-token.png') });
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
