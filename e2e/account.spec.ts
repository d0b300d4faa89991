import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

/** Token permissions and "Delete my account and data" in the browser. */
describe('token scopes and deleting the account in the browser', () => {
  let app: AppInBrowser;
  let page: Page;
  const user = { name: 'Dana', email: 'dana@example.com' };
  const password = 'dana password for tests';

  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ page } = app);
    await signUpInBrowser(page, app.server.baseUrl, user);
  });
  afterAll(() => app?.close());

  it('creates a token with only the permissions picked and lists them', async () => {
    await page.getByRole('link', { name: 'API tokens', exact: true }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    const full = page.getByRole('checkbox', { name: 'Full access (every permission)' });
    expect(await full.isChecked()).toBe(true);
    await full.uncheck();
    await page.getByLabel('Token name').fill('Read posts');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Choose at least one permission.').waitFor();
    await page.getByRole('checkbox', { name: /^posts:read/ }).check();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'token-scopes-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^tth_/);
    await page.keyboard.press('Escape');
    const row = page.getByRole('row', { name: /Read posts/ });
    await row.getByText('posts:read').waitFor();

    const posts = await fetch(`${app.server.baseUrl}/api/posts`, { headers: { authorization: `Bearer ${secret}` } });
    expect(posts.status).toBe(200);
    const media = await fetch(`${app.server.baseUrl}/api/media`, { headers: { authorization: `Bearer ${secret}` } });
    expect(media.status).toBe(403);
    await page.reload();
    await row
      .getByRole('cell')
      .filter({ hasText: /\d{4}|ago|today/i })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'token-scopes-list.png'), fullPage: true });
  });

  it('deletes the account after the password is confirmed, and signs out', async () => {
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByRole('main').getByText(user.email).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'account-page.png'), fullPage: true });

    await page.getByRole('button', { name: 'Delete my account and data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account and data?' });
    await dialog.getByLabel('Your password').fill('not my password at all');
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await dialog.getByText('The password is not correct.').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'account-delete-wrong-password.png') });

    await dialog.getByLabel('Your password').fill(password);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByText('Your account was deleted').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'account-deleted.png') });

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/email or password is not correct|invalid email or password/i).waitFor();
    expect(app.problems.filter((problem) => !/status of 40[13]/.test(problem))).toEqual([]);
  });
});
