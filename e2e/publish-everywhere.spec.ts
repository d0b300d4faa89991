import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

/** One account of every platform: its group and checkbox in the composer, and its name on the Posts page. */
const ACCOUNTS = [
  { group: 'Instagram accounts', checkbox: /@northwind\.coffee/, name: '@northwind.coffee', site: 'Instagram' },
  { group: 'Instagram accounts', checkbox: /@sam\.makes\.things/, name: '@sam.makes.things', site: 'Instagram' },
  { group: 'Facebook accounts', checkbox: /^Northwind Coffee(?! Co)/, name: 'Northwind Coffee', site: 'Facebook' },
  { group: 'LinkedIn accounts', checkbox: /Sam Rivera/, name: 'Sam Rivera', site: 'LinkedIn' },
  { group: 'LinkedIn accounts', checkbox: /Northwind Coffee Co\./, name: '@northwind-coffee', site: 'LinkedIn' },
] as const;
const CAPTION = 'Saturday cupping (10 am): three new single origins, one table, bring a friend!';

/** Connects one account of each platform in the browser, through the sandbox, and publishes one post to all of them at once. */
describe('publishing one post to every platform (sandbox)', () => {
  let app: AppInBrowser;
  let page: Page;
  let imageDir: string;

  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
  };
  /**
   * Connect → the sandbox's consent page (choosing `pick` there when it offers accounts) → the
   * picker, choosing `pick` again, when several accounts are found.
   */
  const connect = async (button: string, consent: string, pick: RegExp) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    const choice = page.getByRole('radio', { name: pick });
    await page.getByRole('button', { name: consent }).waitFor();
    if ((await choice.count()) > 0) await choice.check();
    await page.getByRole('button', { name: consent }).click();
    await page.waitForURL(/\/settings\/social-accounts(\/select\/[0-9a-f-]{36}\?provider=\w+)?$/);
    if (page.url().includes('/select/')) {
      await page.getByRole('checkbox', { name: pick }).click();
      await page.getByRole('button', { name: 'Connect selected' }).click();
      await page.waitForURL(/\/settings\/social-accounts$/);
    }
  };

  beforeAll(async () => {
    imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-everywhere-'));
    app = await openAppInBrowser();
    ({ page } = app);
  });
  afterAll(async () => {
    await app?.close();
    if (imageDir) fs.rmSync(imageDir, { recursive: true, force: true });
  });

  it('connects Instagram (both logins), a Facebook Page, a LinkedIn profile and a LinkedIn Page', async () => {
    await signUpInBrowser(page, app.server.baseUrl, { name: 'Everywhere User', email: 'everywhere@example.com' });

    await connect('Connect Instagram account through Facebook Login', 'Continue as Sam Rivera', /@northwind\.coffee/);
    await page.getByRole('article', { name: 'northwind.coffee' }).waitFor();
    await connect('Connect with Instagram Login', 'Allow', /sam\.makes\.things/);
    await page.getByRole('article', { name: 'sam.makes.things' }).waitFor();
    // Both seeded Pages are offered; the picker connects one.
    await connect('Connect Facebook Pages', 'Continue as Sam Rivera', /^Northwind Coffee/);
    await page.getByRole('article', { name: 'Northwind Coffee', exact: true }).waitFor();
    await connect('Connect LinkedIn profile', 'Allow', /Sam Rivera/);
    await page.getByRole('article', { name: 'Sam Rivera' }).waitFor();
    // The same scope list as the profile: LinkedIn keeps the profile's connection alive.
    await connect('Connect LinkedIn Pages', 'Allow', /Northwind Coffee Co\./);
    await page.getByRole('article', { name: 'northwind-coffee' }).waitFor();

    const response = await page.request.get(`${app.server.baseUrl}/api/connected-accounts`);
    const { accounts } = (await response.json()) as { accounts: Array<{ provider: string; status: string }> };
    expect(accounts.map((account) => account.provider).sort()).toEqual([
      'facebook_page',
      'instagram',
      'instagram_login',
      'linkedin',
      'linkedin_org',
    ]);
    expect(accounts.every((account) => account.status === 'active')).toBe(true);
    await shot('everywhere-accounts.png');
  });

  it('composes one post for all five accounts, with a preview per platform', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('heading', { name: 'Compose', level: 1 }).waitFor();
    for (const account of ACCOUNTS) {
      const box = page.getByRole('group', { name: account.group }).getByRole('checkbox', { name: account.checkbox });
      if ((await box.getAttribute('aria-checked')) !== 'true') await box.click();
    }
    const file = path.join(imageDir, 'cupping.jpg');
    await sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#8a5a3b' } })
      .jpeg()
      .toFile(file);
    await page.locator('input[type="file"]').setInputFiles(file);
    await page
      .getByRole('listitem', { name: '1. cupping.jpg' })
      .getByRole('progressbar')
      .waitFor({ state: 'detached' });
    await page.getByLabel('Caption').fill(CAPTION);
    // Each platform counts by its own rules: LinkedIn counts the escapes its two parentheses need.
    const characters = [...CAPTION].length;
    const limits = (platform: string) => page.getByRole('group', { name: `${platform} limits` });
    await limits('Instagram').getByText(`Characters ${characters} / 2,200`).waitFor();
    await limits('Facebook').getByText(`Characters ${characters} / 63,206`).waitFor();
    await limits('LinkedIn')
      .getByText(`Characters ${characters + 2} / 3,000`)
      .waitFor();
    await page
      .getByRole('figure', { name: 'LinkedIn preview of the post' })
      .getByText(/Saturday cupping/)
      .waitFor();
    await page.getByRole('figure', { name: 'Facebook Page preview of the post' }).waitFor();
    await page
      .getByRole('figure', { name: /Instagram preview|Preview of the feed post/ })
      .first()
      .waitFor();
    await shot('everywhere-composer.png');
  });

  it('publishes to all of them at once: every target reaches Published with its link', async () => {
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('heading', { name: 'Posts', level: 1 }).waitFor();
    for (const account of ACCOUNTS) {
      const target = page.getByRole('listitem', { name: `${account.name}: Published`, exact: true });
      await target.waitFor({ timeout: 60_000 });
      const link = target.getByRole('link', { name: `View on ${account.site}` });
      expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
    }
    const response = await page.request.get(`${app.server.baseUrl}/api/posts`);
    const [post] = ((await response.json()) as { posts: Post[] }).posts;
    expect(post?.targets.map((target) => [target.provider, target.status]).sort()).toEqual([
      ['facebook_page', 'published'],
      ['instagram', 'published'],
      ['instagram_login', 'published'],
      ['linkedin', 'published'],
      ['linkedin_org', 'published'],
    ]);
    expect(post?.targets.every((target) => target.permalink && target.remoteId)).toBe(true);
    await shot('everywhere-published.png');
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
