import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../test/helpers/server-process.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

const FACEBOOK_USER = '10200000000000001';
const SECOND_PAGE = '110000000000003';
const SECOND_IG = '17841400000000003';
const FULL_TASKS = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

describe('connecting an Instagram account in the browser (sandbox)', () => {
  let app: AppInBrowser;
  let server: ServerProcess;
  let env: Record<string, string>;
  let page: Page;

  const control = (suffix: string) => `${server.baseUrl}/sandbox/__control${suffix}`;
  const put = async (suffix: string, body: unknown) => {
    const response = await fetch(control(suffix), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `connect-${name}.png`) });

  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ server, env, page } = app);
  });
  afterAll(() => app?.close());

  it('seeds a second Page with an Instagram account in the sandbox', async () => {
    await put(`/instagram/accounts/${SECOND_IG}`, {
      appScopedId: '2590000000000003',
      username: 'northwind.roastery',
      name: 'Northwind Roastery',
      accountType: 'BUSINESS',
    });
    await put(`/facebook/pages/${SECOND_PAGE}`, {
      name: 'Northwind Roastery',
      category: 'Brand',
      instagramAccountId: SECOND_IG,
    });
    const state = (await (await fetch(control('/state'))).json()) as {
      facebook: { users: Array<{ id: string; pageRoles: Array<{ pageId: string; tasks: string[] }> }> };
    };
    const user = state.facebook.users.find((candidate) => candidate.id === FACEBOOK_USER);
    expect(user).toBeDefined();
    await put(`/facebook/users/${FACEBOOK_USER}`, {
      ...user,
      pageRoles: [...(user?.pageRoles ?? []), { pageId: SECOND_PAGE, tasks: FULL_TASKS }],
    });
  });

  it('signs up and shows the empty state with the Connect button', async () => {
    await signUpInBrowser(page, server.baseUrl, { name: 'Connect User', email: 'connect@example.com' });
    await page.getByRole('link', { name: 'Connected accounts' }).click();
    await page.getByRole('heading', { name: 'Connected accounts' }).waitFor();
    await page.getByText('No accounts connected yet').waitFor();
    await shot('empty');
  });

  it('goes through the Facebook consent page to the picker with two candidates', async () => {
    await page.getByRole('button', { name: 'Connect Instagram account' }).click();
    await page.getByRole('heading', { name: /is requesting access/ }).waitFor();
    for (const name of ['Northwind Coffee', 'Northwind Events', 'Northwind Roastery']) {
      expect(await page.getByRole('checkbox', { name: new RegExp(name) }).isChecked()).toBe(true);
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'connect-facebook-consent.png'), fullPage: true });
    await page.getByRole('button', { name: 'Continue as Sam Rivera' }).click();

    await page.waitForURL(/\/settings\/social-accounts\/select\/[0-9a-f-]{36}\?provider=instagram$/);
    await page.getByRole('heading', { name: 'Choose accounts to connect' }).waitFor();
    const candidates = page.getByRole('group', { name: 'Instagram accounts found' }).getByRole('checkbox');
    await candidates.first().waitFor();
    expect(await candidates.count()).toBe(2);
    await page.getByText('These Pages have no Instagram professional account linked').waitFor();
    expect(await page.getByRole('button', { name: 'Connect selected' }).isDisabled()).toBe(true);
    await shot('picker');
  });

  it('connects only northwind.coffee and shows its card with the expiry', async () => {
    await page.getByRole('checkbox', { name: /@northwind\.coffee/ }).click();
    await page.getByRole('button', { name: 'Connect selected' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await page.getByRole('status').getByText('Connected @northwind.coffee').waitFor();
    const card = page.getByRole('article', { name: 'northwind.coffee' });
    await card.getByRole('heading', { name: 'Northwind Coffee' }).waitFor();
    await card.getByText('Facebook Page: Northwind Coffee').waitFor();
    await card.getByText(/Token expires in \d+ days/).waitFor();
    await card.getByText('Active', { exact: true }).waitFor();
    await card.getByText('Connected', { exact: false }).first().waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await shot('connected');
  });

  it('never stores an issued token in plain text under DATA_DIR', async () => {
    const { tokens } = (await (await fetch(control('/tokens'))).json()) as { tokens: Array<{ token: string }> };
    expect(tokens.length).toBeGreaterThan(0);
    const files = filesUnder(env.DATA_DIR ?? '');
    expect(files.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const file of files) {
      const content = fs.readFileSync(file);
      for (const { token } of tokens) {
        if (content.includes(Buffer.from(token))) found.push(`${path.relative(env.DATA_DIR ?? '', file)}: ${token}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('fits a 390 px wide phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('article', { name: 'northwind.coffee' }).getByRole('listitem').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'connect-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
  });

  it('checks the connection with Facebook and records it in the activity', async () => {
    const card = page.getByRole('article', { name: 'northwind.coffee' });
    await card.getByRole('button', { name: 'Refresh' }).click();
    await card.getByText(/Connection checked/).waitFor();
    await card.getByText(/Last checked/).waitFor();
    await shot('refreshed');
  });

  it('shows a revoked grant as "Needs reconnect" and rings the bell', async () => {
    const revoke = await fetch(control('/tokens/revoke'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subjectId: '10200000000000001', subcode: 460 }),
    });
    expect(revoke.status).toBe(200);
    const card = page.getByRole('article', { name: 'northwind.coffee' });
    await card.getByRole('button', { name: 'Refresh' }).click();
    await card.getByText('Needs reconnect', { exact: false }).first().waitFor();
    await page.reload();
    const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.click();
    await page.getByText('@northwind.coffee needs to be reconnected').waitFor();
    await page.waitForTimeout(300); // let the dropdown finish fading in for the screenshot
    await shot('needs-reconnect');
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('disconnects after confirming and returns to the empty state', async () => {
    await page.getByRole('button', { name: 'Disconnect @northwind.coffee' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect @northwind.coffee?' });
    await dialog.getByText(/revoke its access at Facebook/).waitFor();
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.getByText('No accounts connected yet').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await shot('disconnected');
  });

  it('explains a cancelled consent and clears it from the address', async () => {
    await page.getByRole('button', { name: 'Connect Instagram account' }).click();
    await page.getByRole('heading', { name: /is requesting access/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('You cancelled the connection on Facebook.').waitFor();
    await page.getByText('Start again and choose Continue when Facebook asks.').waitFor();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await shot('denied');
    // Start again goes back to the same platform's consent page.
    await page.getByRole('alert').getByRole('button', { name: 'Start again' }).click();
    await page.getByRole('heading', { name: /is requesting access/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('You cancelled the connection on Facebook.').waitFor();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await page.reload();
    await page.getByText('No accounts connected yet').waitFor();
    expect(await page.getByText('You cancelled the connection on Facebook.').count()).toBe(0);
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
