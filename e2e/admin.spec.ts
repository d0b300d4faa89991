import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import { until } from '../test/helpers/processes.ts';
import type { ServerProcess } from '../test/helpers/server-process.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

/**
 * The admin view after a scripted run in the sandbox: a Facebook Page connection refused then
 * completed, one post published and one failed. The first user is admin; a later one is not.
 */
describe('admin view (sandbox)', () => {
  let app: AppInBrowser;
  let server: ServerProcess;
  let page: Page;
  let failedPostId: string;

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const control = async (suffix: string, body: unknown) => {
    const response = await fetch(`${server.baseUrl}/sandbox/__control${suffix}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  /** Publishes text now to the account with the browser's session, and waits until it settles. */
  const publish = async (accountId: string, caption: string): Promise<Post> => {
    const created = await page.request.post(`${server.baseUrl}/api/posts`, {
      headers: { origin: server.baseUrl },
      data: { caption, targets: [{ accountId, kind: 'feed' }] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as Post;
    return until(
      `post ${id} to settle`,
      async () => {
        const current = await readPost(id);
        return current.targets.every((target) => ['published', 'failed'].includes(target.status)) ? current : undefined;
      },
      20_000,
    );
  };
  const readPost = async (id: string) =>
    (await (await page.request.get(`${server.baseUrl}/api/posts/${id}`)).json()) as Post;

  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ server, page } = app);
  });
  afterAll(() => app?.close());

  it('connects a Facebook Page after one refusal, and publishes once with success and once with a failure', async () => {
    await signUpInBrowser(page, server.baseUrl, { name: 'Admin User', email: 'admin@example.com' });
    await page.getByRole('button', { name: 'Connect Facebook Pages' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/error=CONNECT_DENIED/);

    await page.getByRole('button', { name: 'Connect Facebook Pages' }).click();
    await page.getByLabel('Northwind Events').uncheck();
    await page.getByRole('button', { name: /Continue as/ }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await page.getByRole('article', { name: 'Northwind Coffee' }).waitFor();

    const accounts = await (await page.request.get(`${server.baseUrl}/api/connected-accounts`)).json();
    const accountId: string = accounts.accounts[0].id;
    expect((await publish(accountId, 'Cold brew is back')).targets[0]?.status).toBe('published');
    await control('/faults', {
      endpoint: 'graph.page.feed.create',
      times: 1,
      fault: { type: 'response', status: 500, body: { error: { message: 'An unknown error has occurred.', code: 1 } } },
    });
    const failed = await publish(accountId, 'Closed for the holidays');
    expect(failed.targets[0]).toMatchObject({ status: 'failed', error: { code: 'PUBLISH_UNCONFIRMED' } });
    failedPostId = failed.id;
  });

  it('shows the success rates and the failed job with its error, retries it, and saves a screenshot', async () => {
    await nav().getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    const connection = page.getByRole('group', { name: 'Connection success' });
    await connection.getByText('50 %').waitFor();
    await connection.getByText('1 of 2 completed, 1 failed').waitFor();
    const posting = page.getByRole('group', { name: 'Posting success' });
    await posting.getByText('50 %').waitFor();
    await posting.getByText('1 published, 1 failed').waitFor();

    const failed = page.getByRole('region', { name: 'Failed jobs' });
    const row = failed.getByRole('row', { name: /Post to Facebook Page of admin@example\.com/ });
    await row.getByText('PUBLISH_UNCONFIRMED').waitFor();
    await row.getByText(/did not answer the publish request/).waitFor();
    await page.getByRole('region', { name: 'Errors by provider' }).getByText('CONNECT_DENIED × 1').waitFor();
    await page.getByRole('region', { name: 'Job queues' }).getByText('publish-target').waitFor();
    await page
      .getByRole('region', { name: 'Usage against provider limits' })
      .getByText(/Facebook app /)
      .waitFor();
    // The charts have drawn their bars (bars of zero draw nothing).
    await page.locator('.recharts-bar-rectangle path').first().waitFor();

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin.png'), fullPage: true });

    await row.getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry this job?' });
    await dialog.getByText(/exactly as its owner's Retry would/).waitFor();
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Retry started').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await failed.getByText('Nothing failed in this window.').waitFor();
    await until(
      'the retried post to be published',
      async () => (await readPost(failedPostId)).targets[0]?.status === 'published',
      20_000,
    );

    // The last 24 hours, hour by hour, with the retried post published.
    await page.getByText('24 hours', { exact: true }).click();
    await page.getByText('Posts per hour').waitFor();
    await posting.getByText('100 %').waitFor();
    await posting.getByText('2 published, 0 failed').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-24h.png') });
  });

  it('gives another user no admin menu and 403 from the admin API', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await signUpInBrowser(page, server.baseUrl, { name: 'Member User', email: 'member@example.com' });
    await nav().getByRole('link', { name: 'Account', exact: true }).waitFor();
    expect(await nav().getByRole('link', { name: 'Admin' }).count()).toBe(0);

    const response = await page.request.get(`${server.baseUrl}/api/admin/overview`);
    expect(response.status()).toBe(403);
    expect((await response.json()).error.message).toMatch(/Only administrators/);
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByText(/Only administrators of this Tether instance/).waitFor();
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
